"""How people write, entered through the form pages (as a browser without
JavaScript sends it) and through `/api/v1/submissions`: each input is either
stored as a German reader means it, or refused with a German message and
nothing stored."""

import html
import json
import re

import pytest
from django.test import Client

from openamt.catalogue.models import Service
from openamt.forms.constants import VersionStatus
from openamt.forms.inputs import CONTROL
from openamt.forms.models import FormVersion
from openamt.forms.services import draft_save, form_create, forms_load, version_publish
from openamt.forms.tests.test_shipped import DATA_DIR, EXAMPLES_DIR
from openamt.submissions.models import Draft, Submission
from openamt.submissions.tests.test_api import URL, _token
from openamt.testing.forms import step_post

MOXA = "16075069"
PROBE = {
    "title": "Eingaben",
    "anonymous": True,
    "fees": [
        {
            "key": "gebuehr",
            "label": "Gebühr je angefangenem m²",
            "amount_cents": {"*": [{"var": "flaeche"}, 115]},
        }
    ],
    "steps": [
        {
            "key": "person",
            "title": "Person",
            "items": [
                {"key": "name", "type": "text", "label": "Name", "required": True},
                {"key": "geboren", "type": "date", "label": "Geburtsdatum", "date_max": "today"},
                {"key": "anschrift", "type": "address", "label": "Anschrift", "required": True},
                {"key": "email", "type": "email", "label": "E-Mail-Adresse"},
                {"key": "bemerkung", "type": "long_text", "label": "Bemerkung"},
            ],
        },
        {
            "key": "sache",
            "title": "Sache",
            "items": [
                {"key": "wert", "type": "money", "label": "Wert"},
                {"key": "flaeche", "type": "number", "label": "Fläche in m²", "required": True},
                {"key": "von", "type": "date", "label": "Von", "required": True},
                {
                    "key": "bis",
                    "type": "date",
                    "label": "Bis",
                    "required": True,
                    "relations": [{"op": ">=", "field": "von"}],
                },
            ],
        },
    ],
}
VALID = {
    "name": "Erika Mustermann",
    "anschrift": {"street": "Markt 1", "postcode": "07381", "city": "Pößneck"},
    "flaeche": "2",
    "von": "10.06.2027",
    "bis": "11.06.2027",
}


@pytest.fixture
def probe(register):
    form = form_create(
        actor=None,
        key="eingaben",
        service=Service.objects.get(leika_key="99102013000000"),
        title=PROBE["title"],
    )
    return version_publish(actor=None, version=draft_save(actor=None, form=form, definition=PROBE))


@pytest.fixture
def token(probe) -> str:
    return _token()


def _errors(response) -> dict[str, str]:
    """The error summary of a page: anchor -> message."""
    found = re.findall(
        r'<a class="kern-link" href="#([^"]+)">([^<]+)</a>', response.content.decode()
    )
    return {anchor: html.unescape(text) for anchor, text in found}


def _anchor(field: str, typed) -> str:
    """The input the error summary links to: the wrong part of an address."""
    if isinstance(typed, dict):
        (part,) = [key for key, value in typed.items() if value != ADDRESS.get(key)]
        return f"f-{field}-{part}"
    return f"f-{field}"


def _pages(changes: dict, key: str = "eingaben", place: str = MOXA, valid: dict | None = None):
    """Apply with the valid answers changed: the last response (a redirect to the
    receipt, or the step that refused) and the client."""
    client = Client()
    answers = {**(VALID if valid is None else valid), **changes}
    steps = {
        step["key"]: step
        for step in FormVersion.objects.get(
            form__key=key, status=VersionStatus.PUBLISHED
        ).definition["steps"]
    }
    location = client.post(f"/antrag/{key}/?ort={place}")["Location"]
    while not location.endswith("/pruefen/"):
        step = steps[location.rstrip("/").rsplit("/", 1)[1]]
        response = client.post(location, step_post(step, answers))
        if response.status_code != 302:
            return response
        location = response["Location"]
    return client.post(location, {"versicherung": "1"})


def _api(token: str, changes: dict, key: str = "k-1", **payload):
    body = {"form": "eingaben", "place": MOXA, "answers": {**VALID, **changes}, **payload}
    return Client().post(
        URL,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _accepted(response) -> Submission:
    assert response.status_code in (202, 302), _errors(response) or response.content[:500]
    return Submission.objects.get(
        public_id=response.json()["id"]
        if response.status_code == 202
        else response["Location"].split("/")[-2]
    )


def _refused_by_api(response, field: str, message: str) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {"field": field, "message": f"Der Antrag ist noch nicht vollständig ({field}: {message})"}
    ]
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.1.85", "1985-01-01"), ("01.01.1985", "1985-01-01"), ("1985-01-01", "1985-01-01")],
)
def test_a_year_is_read_as_a_german_reader_reads_it(probe, token, typed, stored):
    assert _accepted(_pages({"geboren": typed})).answers["geboren"] == stored
    assert _accepted(_api(token, {"geboren": typed})).answers["geboren"] == stored


@pytest.mark.parametrize("typed", ["1.1.985", "01.01.0085", "0085-01-01", "1.1.5"])
def test_a_year_below_1000_is_refused(probe, token, typed):
    message = "Bitte geben Sie das Jahr vierstellig ein, z. B. 1985."
    page = _pages({"geboren": typed})
    assert page.status_code == 422
    assert _errors(page) == {"f-geboren": f"Geburtsdatum: {message}"}
    assert not Submission.objects.exists()
    Draft.objects.all().delete()
    _refused_by_api(_api(token, {"geboren": typed}), "geboren", message)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("1.500", 150000), ("1.500,00", 150000), ("1.234.567,8", 123456780), ("12,50 €", 1250)],
)
def test_money_is_read_in_german_notation(probe, token, typed, cents):
    assert _accepted(_pages({"wert": typed})).answers["wert"] == cents
    assert _accepted(_api(token, {"wert": typed})).answers["wert"] == cents


@pytest.mark.parametrize(
    ("field", "typed", "stored"), [("flaeche", "1.500", 1500), ("flaeche", "1.500,5", 1500.5)]
)
def test_a_number_is_read_in_german_notation(probe, token, field, typed, stored):
    assert _accepted(_pages({field: typed})).answers[field] == stored
    assert _accepted(_api(token, {field: typed})).answers[field] == stored


@pytest.mark.parametrize(
    ("field", "label", "typed", "example"),
    [
        ("wert", "Wert", "1.50", "12,50"),
        ("wert", "Wert", "1,500.00", "12,50"),
        ("flaeche", "Fläche in m²", "1.5", "2,5"),
        ("flaeche", "Fläche in m²", "1.5000", "2,5"),
    ],
)
def test_an_ambiguous_number_is_refused_not_guessed(probe, token, field, label, typed, example):
    message = (
        "Ein Punkt trennt nur Tausender (1.500). Bitte schreiben Sie Stellen nach dem Komma "
        f"mit Komma, z. B. {example}."
    )
    page = _pages({field: typed})
    assert page.status_code == 422
    assert _errors(page) == {f"f-{field}": f"{label}: {message}"}
    assert not Submission.objects.exists()
    Draft.objects.all().delete()
    _refused_by_api(_api(token, {field: typed}), field, message)


ADDRESS = VALID["anschrift"]
TOO_LONG = [
    (
        "anschrift",
        {**ADDRESS, "street": "x" * 100_000},
        "Straße und Hausnummer: höchstens 100 Zeichen.",
    ),
    ("anschrift", {**ADDRESS, "city": "Pößneck" * 20}, "Ort: höchstens 100 Zeichen."),
    ("name", "E" * 201, "Höchstens 200 Zeichen."),
    ("email", "e" * 250 + "@example.org", "Höchstens 254 Zeichen."),
    ("bemerkung", "b" * 5001, "Höchstens 5000 Zeichen."),
]


@pytest.mark.parametrize(("field", "typed", "message"), TOO_LONG)
def test_an_overlong_part_is_refused_and_its_step_is_not_kept(probe, field, typed, message):
    page = _pages({field: typed})
    assert page.status_code == 422
    label = next(s["label"] for s in PROBE["steps"][0]["items"] if s["key"] == field)
    assert _errors(page) == {_anchor(field, typed): f"{label}: {message}"}
    assert Draft.objects.get().answers == {}  # nothing of the step
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("field", "typed", "message"), TOO_LONG)
def test_the_api_applies_the_same_limits(token, field, typed, message):
    _refused_by_api(_api(token, {field: typed}), field, message)


CONTROLS = [
    ("name", "Eri\x00ka"),
    ("name", "Erika\x1b[31m"),
    ("anschrift", {**ADDRESS, "street": "Markt\x001"}),
    ("bemerkung", "Zeile\x07"),
    ("email", "erika@example.org\n"),
]


@pytest.mark.parametrize(("field", "typed"), CONTROLS)
def test_control_characters_are_refused_and_nothing_of_the_step_is_kept(probe, field, typed):
    page = _pages({field: typed})
    assert page.status_code == 422
    assert list(_errors(page)) == [_anchor(field, typed)]
    assert "enthält Steuerzeichen, die nicht erlaubt sind" in _errors(page)[_anchor(field, typed)]
    assert Draft.objects.get().answers == {}
    assert "\x00" not in page.content.decode()  # shown again without them
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("field", "typed"), CONTROLS)
def test_control_characters_are_refused_by_the_api(token, field, typed):
    message = f"Straße und Hausnummer: d{CONTROL[1:]}" if field == "anschrift" else CONTROL
    _refused_by_api(_api(token, {field: typed}), field, message)


def test_text_is_stored_in_nfc_and_a_long_text_keeps_its_lines(probe, token):
    changes = {
        "name": "Jose\u0301 Mu\u0308ller",  # decomposed, as some keyboards send it
        "bemerkung": "Erste Zeile\r\nzweite\tZeile",
    }
    for response in (_pages(changes), _api(token, changes)):
        answers = _accepted(response).answers
        assert answers["name"] == "Jos\u00e9 M\u00fcller"
        assert answers["bemerkung"] == "Erste Zeile\nzweite\tZeile"


def test_a_draft_keeps_text_in_nfc(probe):
    client = Client()
    location = client.post(f"/antrag/eingaben/?ort={MOXA}")["Location"]
    client.post(location, step_post(PROBE["steps"][0], {**VALID, "name": "Mu\u0308ller"}))
    assert Draft.objects.get().answers["name"] == "M\u00fcller"


@pytest.mark.parametrize(
    ("postcode", "city"),
    [
        ("07629", "Sankt Gangloff"),
        ("07629", "St. Gangloff"),
        ("07629", "St.Gangloff"),
        ("98660", "St. Bernhard"),
        ("98660", "Sankt-Bernhard"),
        ("07381", "Poessneck"),
    ],
)
def test_a_place_is_recognised_in_its_written_variants(probe, token, postcode, city):
    anschrift = {"street": "Dorfstraße 3", "postcode": postcode, "city": city}
    for response in (_pages({"anschrift": anschrift}), _api(token, {"anschrift": anschrift})):
        assert _accepted(response).answers["anschrift"] == anschrift


def test_a_place_that_does_not_fit_the_postcode_is_still_refused(probe, token):
    anschrift = {"street": "Dorfstraße 3", "postcode": "07629", "city": "St. Bernhard"}
    message = "Der Ort passt nicht zur Postleitzahl 07629."
    page = _pages({"anschrift": anschrift})
    assert _errors(page) == {"f-anschrift-city": f"Anschrift: {message}"}
    Draft.objects.all().delete()
    _refused_by_api(_api(token, {"anschrift": anschrift}), "anschrift", message)


def test_an_end_before_its_start_is_refused_next_to_the_end(probe, token):
    changes = {"von": "10.06.2027", "bis": "09.06.2027"}
    message = "Das Datum darf nicht vor dem 10.06.2027 liegen („Von“)."
    page = _pages(changes)
    assert page.status_code == 422
    assert _errors(page) == {"f-bis": f"Bis: {message}"}
    assert not Submission.objects.exists()
    Draft.objects.all().delete()
    _refused_by_api(_api(token, changes), "bis", message)
    same_day = {"von": "10.06.2027", "bis": "10.06.2027"}
    assert _accepted(_pages(same_day)).answers["bis"] == "2027-06-10"


def test_the_shipped_halteverbotszone_refuses_an_end_before_its_start(register, token):
    forms_load(directory=DATA_DIR)
    example = json.loads((EXAMPLES_DIR / "halteverbotszone-umzug.json").read_text())
    earlier = {"datum_bis": "13.06.2035"}
    page = _pages(
        earlier, key="halteverbotszone-umzug", place=example["place"], valid=example["answers"]
    )
    assert _errors(page) == {
        "f-datum-bis": "Bis (Datum): Das Datum darf nicht vor dem 14.06.2035 liegen („Von (Datum)“)."
    }
    times = {"uhrzeit_von": "18:00", "uhrzeit_bis": "07:00"}
    page = _pages(
        times, key="halteverbotszone-umzug", place=example["place"], valid=example["answers"]
    )
    assert _errors(page) == {
        "f-uhrzeit-bis": "Bis (Uhrzeit): Am selben Tag muss die Uhrzeit „bis“ nach der Uhrzeit „von“ liegen."
    }
    Draft.objects.all().delete()
    response = _api(
        token,
        {},
        form="halteverbotszone-umzug",
        place=example["place"],
        answers={**example["answers"], **earlier},
    )
    _refused_by_api(
        response, "datum_bis", "Das Datum darf nicht vor dem 14.06.2035 liegen („Von (Datum)“)."
    )
    next_day = {**example["answers"], **times, "datum_bis": "15.06.2035"}
    accepted = _accepted(
        _api(token, {}, form="halteverbotszone-umzug", place=example["place"], answers=next_day)
    )
    assert (accepted.answers["datum_bis"], accepted.answers["uhrzeit_bis"]) == (
        "2035-06-15",
        "07:00",
    )


@pytest.mark.parametrize(("flaeche", "cents"), [("1,5", 173), ("0,5", 58), ("2,3", 265)])
def test_a_computed_fee_is_rounded_commercially_to_whole_cents(probe, token, flaeche, cents):
    # 1.5 m² × 1.15 € = 1.725 €: 173 cents (half away from zero), not 172 (half to even).
    for response in (_pages({"flaeche": flaeche}), _api(token, {"flaeche": flaeche})):
        assert [fee["cents"] for fee in _accepted(response).fees] == [cents]


def test_the_summary_shows_numbers_in_german_and_what_was_typed_wrong(probe):
    client = Client()
    location = client.post(f"/antrag/eingaben/?ort={MOXA}")["Location"]
    refused = client.post(
        location, step_post(PROBE["steps"][0], {**VALID, "geboren": "31.02.1985"})
    )
    assert _errors(refused) == {
        "f-geboren": "Geburtsdatum: Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."
    }
    second = location.replace("/person/", "/sache/")
    client.post(second, step_post(PROBE["steps"][1], {**VALID, "flaeche": "12.500,5"}))
    summary = client.get(second.replace("/schritt/sache/", "/pruefen/"))
    assert summary.status_code == 200
    page = html.unescape(summary.content.decode())
    assert "12.500,5" in page
    assert "31.02.1985" in page
    assert "Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)." in page
    assert not Submission.objects.exists()
