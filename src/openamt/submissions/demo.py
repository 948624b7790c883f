"""The demo that `make run` prepares: where the shipped forms' example places
route applications, so that a login exists for every Eingang the demo fills."""

import json
from collections import defaultdict

from openamt.catalogue.models import Service
from openamt.forms.services import SHIPPED_EXAMPLES, SHIPPED_FORMS
from openamt.organisations.models import Authority
from openamt.regions.models import Region
from openamt.responsibility.selectors import responsibility_find


def demo_routes() -> dict[Authority, list[str]]:
    """{authority: titles of the shipped forms whose example place it receives},
    by the same Zuständigkeitsfinder the application intake uses; examples whose
    place or service is not imported, or that no authority serves, are left out."""
    routes: dict[Authority, list[str]] = defaultdict(list)
    for example_path in sorted(SHIPPED_EXAMPLES.glob("*.json")):
        form = json.loads((SHIPPED_FORMS / example_path.name).read_text(encoding="utf-8"))
        place_ags = json.loads(example_path.read_text(encoding="utf-8"))["place"]
        service = Service.objects.filter(leika_key=form["leika_key"]).first()
        place = Region.objects.active().filter(ags=place_ags, level="gemeinde").first()
        if service is None or place is None:
            continue
        finding = responsibility_find(service=service, region=place)
        if finding is not None:
            routes[finding.authority].append(form["definition"]["title"])
    return dict(sorted(routes.items(), key=lambda item: item[0].name))
