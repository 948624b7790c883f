"""`make run` prints a login for every authority the demo routes applications to."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from openamt.accounts.models import User
from openamt.catalogue.models import Service
from openamt.forms.services import SHIPPED_EXAMPLES, SHIPPED_FORMS
from openamt.regions.models import Region
from openamt.responsibility.selectors import responsibility_find


def _routed_authorities() -> set[str]:
    names = set()
    for path in SHIPPED_EXAMPLES.glob("*.json"):
        form = json.loads((SHIPPED_FORMS / path.name).read_text(encoding="utf-8"))
        place = Region.objects.active().get(
            ags=json.loads(path.read_text(encoding="utf-8"))["place"], level="gemeinde"
        )
        service = Service.objects.get(leika_key=form["leika_key"])
        names.add(responsibility_find(service=service, region=place).authority.name)
    return names


def test_every_authority_the_examples_route_to_gets_a_printed_login(register, settings):
    settings.OPENAMT_DEVELOPMENT = True
    out = StringIO()
    call_command("create_demo_staff", stdout=out)
    lines = out.getvalue().splitlines()
    start = lines.index("Eingang der Behörden, an die die Beispielanträge gehen (Sachbearbeitung):")
    printed = {}
    for line in lines[start + 1 : -1]:
        username, password, rest = line.split(maxsplit=2)
        printed[re.sub(r" \(.*\)$", "", rest)] = (username, password)
    expected = _routed_authorities()
    assert len(expected) >= 6
    assert set(printed) == expected
    assert (
        "Stadtverwaltung Erfurt (Bewohnerparkausweis beantragen, Gewerbeanmeldung)"
        in out.getvalue()
    )
    for name, (username, password) in printed.items():
        staff = Client()
        response = staff.post("/verwaltung/anmelden/", {"username": username, "password": password})
        assert response.status_code == 302, name
        user = User.objects.get(username=username)
        authority_id = user.authority_roles.get().authority_id
        assert staff.get(f"/verwaltung/behoerden/{authority_id}/eingang/").status_code == 200


def test_demo_logins_exist_only_in_development(register, settings):
    settings.OPENAMT_DEVELOPMENT = False
    with pytest.raises(CommandError, match="nur im Entwicklungsbetrieb"):
        call_command("create_demo_staff", stdout=StringIO())
    assert not User.objects.filter(username__startswith="sb.").exists()
