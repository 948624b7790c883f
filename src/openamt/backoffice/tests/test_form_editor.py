"""The form editor without JavaScript: create, add and move steps and fields,
set a field with a rule, publish (refused with the place of the problem),
preview, compare versions, export and import."""

import html
import json
import re

import lxml.html
from django.core.files.uploadedfile import SimpleUploadedFile

from openamt.backoffice.form_forms import ACCEPT
from openamt.forms.models import FormDefinition, FormVersion
from openamt.forms.services import draft_save
from openamt.forms.tests.test_definition import RANGE

BASE = "/verwaltung/formulare/hundehaltung"


def _new(client, owner: str = "land"):
    return client.post(
        "/verwaltung/formulare/",
        {
            "title": "Hundehaltung anzeigen",
            "key": "hundehaltung",
            "leika_key": "99102013000000",
            "owner": owner,
        },
    )


def _fee_rows(*rows: dict, initial: int = 0) -> dict:
    """The fee rows as the settings form posts them (one more, empty, for a new fee)."""
    data = {"gebuehr-TOTAL_FORMS": str(len(rows) + 1), "gebuehr-INITIAL_FORMS": str(initial)}
    for number, row in enumerate(rows):
        data |= {f"gebuehr-{number}-{name}": value for name, value in row.items()}
    return data


def _definition() -> dict:
    return FormVersion.objects.get(form__key="hundehaltung", status="entwurf").definition


def test_a_land_admin_builds_publishes_and_revises_a_form(client_as, land_admin):
    client = client_as(land_admin)
    response = _new(client)
    assert response["Location"] == f"{BASE}/entwurf/"
    page = client.get(f"{BASE}/entwurf/").content.decode()
    assert "Schritt 1: Angaben" in page
    client.post(f"{BASE}/entwurf/", {"aktion": "schritt-neu", "titel": "Der Hund"})
    client.post(
        f"{BASE}/entwurf/",
        {"aktion": "feld-neu:1", "typ-1": "yes_no", "bezeichnung-1": "Gefährlicher Hund?"},
    )
    client.post(
        f"{BASE}/entwurf/", {"aktion": "feld-neu:1", "typ-1": "file", "bezeichnung-1": "Erlaubnis"}
    )
    client.post(f"{BASE}/entwurf/", {"aktion": "entfernen:1.0"})  # the placeholder field
    steps = _definition()["steps"]
    assert [s["key"] for s in steps] == ["angaben", "der_hund"]
    assert [(i["key"], i["type"]) for i in steps[1]["items"]] == [
        ("gefaehrlicher_hund", "yes_no"),
        ("erlaubnis", "file"),
    ]
    client.post(f"{BASE}/entwurf/", {"aktion": "runter:1.0"})
    assert [i["key"] for i in _definition()["steps"][1]["items"]] == [
        "erlaubnis",
        "gefaehrlicher_hund",
    ]
    client.post(f"{BASE}/entwurf/", {"aktion": "hoch:1.1"})

    field = {
        "label": "Erlaubnis",
        "key": "erlaubnis",
        "type": "file",
        "accept": ["application/pdf"],
        "max_size_mb": "5",
        "show_if": "kein json",
    }
    refused = client.post(f"{BASE}/entwurf/feld/1.1/", field)
    assert refused.status_code == 422
    assert "Bitte eine Regel in JSON Logic angeben" in refused.content.decode()
    field["show_if"] = json.dumps({"===": [{"var": "gefaehrlich"}, True]})
    assert client.post(f"{BASE}/entwurf/feld/1.1/", field).status_code == 302
    assert _definition()["steps"][1]["items"][1] == {
        "key": "erlaubnis",
        "type": "file",
        "label": "Erlaubnis",
        "max_size_mb": 5,
        "show_if": {"===": [{"var": "gefaehrlich"}, True]},
        "accept": ["application/pdf"],
    }

    page = client.get(f"{BASE}/entwurf/").content.decode()
    problem = (
        "Schritt 2 „Der Hund“, Feld 2 „erlaubnis“, Bedingung: die Regel nennt das Feld "
        "„gefaehrlich“, das es nicht gibt."
    )
    assert problem in page
    response = client.post(f"{BASE}/entwurf/veroeffentlichen/", follow=True)
    assert f"Nicht veröffentlicht: {problem}" in response.content.decode()
    assert not FormVersion.objects.filter(status="veroeffentlicht").exists()

    field["show_if"] = json.dumps({"===": [{"var": "gefaehrlicher_hund"}, True]})
    client.post(f"{BASE}/entwurf/feld/1.1/", field)
    response = client.post(f"{BASE}/entwurf/veroeffentlichen/", follow=True)
    assert "Version 1 ist veröffentlicht." in response.content.decode()
    preview = client.get(f"{BASE}/versionen/1/vorschau/?schritt=der_hund").content.decode()
    assert "Vorschau von Version 1" in preview
    assert '<label class="kern-label" for="f-erlaubnis">Erlaubnis' in preview
    assert 'value="weiter"' not in preview  # nothing can be sent from a preview

    settings = client.get(f"{BASE}/entwurf/")  # begins version 2 from the published one
    assert settings.status_code == 200
    client.post(
        f"{BASE}/entwurf/",
        {
            "aktion": "einstellungen",
            "title": "Hundehaltung anzeigen (neu)",
            "assurance_level": "niedrig",
            "retention_days": "730",
            "delivery": ["eingang"],
            **_fee_rows(),
        },
    )
    assert _definition()["retention_days"] == 730
    diff = client.get(f"{BASE}/vergleich/?von=1&zu=2").content.decode()
    assert "<ins>+  &quot;title&quot;: &quot;Hundehaltung anzeigen (neu)&quot;</ins>" in diff
    assert "<del>-  &quot;title&quot;: &quot;Hundehaltung anzeigen&quot;</del>" in diff
    assert "<ins>+  &quot;retention_days&quot;: 730,</ins>" in diff

    exported = client.get(f"{BASE}/versionen/1/export.json")
    data = json.loads(exported.content)
    assert (data["key"], data["leika_key"]) == ("hundehaltung", "99102013000000")
    client.post(
        f"{BASE}/entwurf/import/",
        {"datei": SimpleUploadedFile("f.json", exported.content, "application/json")},
    )
    assert _definition() == FormVersion.objects.get(form__key="hundehaltung", number=1).definition


def test_authority_admins_edit_only_their_own_forms(
    client_as, land_admin, lindenberg_admin, lindenberg, erfurt_caseworker
):
    _new(client_as(land_admin))
    admin = client_as(lindenberg_admin)
    assert "Hundehaltung anzeigen" in admin.get("/verwaltung/formulare/").content.decode()
    assert admin.get(f"{BASE}/entwurf/").status_code == 403
    assert admin.post(f"{BASE}/entwurf/veroeffentlichen/").status_code == 403
    refused = admin.post(
        "/verwaltung/formulare/",
        {"title": "X", "key": "x", "leika_key": "99102013000000", "owner": "land"},
    )
    assert refused.status_code == 422
    assert not FormDefinition.objects.filter(key="x").exists()
    response = admin.post(
        "/verwaltung/formulare/",
        {
            "title": "Fundsache melden",
            "key": "fund-lindenberg",
            "leika_key": "99089017000000",
            "owner": str(lindenberg.pk),
        },
    )
    assert response["Location"] == "/verwaltung/formulare/fund-lindenberg/entwurf/"
    assert FormDefinition.objects.get(key="fund-lindenberg").owner == lindenberg
    caseworker = client_as(erfurt_caseworker)
    assert caseworker.get("/verwaltung/formulare/fund-lindenberg/").status_code == 404
    page = caseworker.get("/verwaltung/formulare/").content.decode()
    assert "Fundsache melden" not in page
    assert re.search(r"Neues Formular", page) is None  # a caseworker creates no forms


def test_steps_and_repeatable_groups_are_set_on_their_own_pages(client_as, land_admin):
    client = client_as(land_admin)
    _new(client)
    draft = f"{BASE}/entwurf/"
    client.post(draft, {"aktion": "feld-neu:0", "typ-0": "group", "bezeichnung-0": "Hunde"})
    client.post(
        draft, {"aktion": "feld-neu:0.1", "typ-0.1": "date", "bezeichnung-0.1": "Geboren am"}
    )
    nested = client.post(
        draft, {"aktion": "feld-neu:0.1", "typ-0.1": "group", "bezeichnung-0.1": "Welpen"}
    )
    assert nested.status_code == 422
    assert "Eine Gruppe kann keine weitere Gruppe enthalten." in nested.content.decode()
    group = _definition()["steps"][0]["items"][1]
    assert [(f["key"], f["type"]) for f in group["group"]] == [
        ("name_2", "text"),
        ("geboren_am", "date"),
    ]
    client.post(draft, {"aktion": "runter:0.1.0"})
    client.post(draft, {"aktion": "entfernen:0.1.1"})
    assert [f["key"] for f in _definition()["steps"][0]["items"][1]["group"]] == ["geboren_am"]

    page = client.get(f"{draft}feld/0.1/").content.decode()
    assert '<h1 class="kern-heading-large">Gruppe „Hunde“</h1>' in page
    settings = {"label": "Hunde", "key": "hunde", "add_label": "", "min": "3", "max": "2"}
    refused = client.post(f"{draft}feld/0.1/", settings)
    assert refused.status_code == 422
    assert "Die Höchstzahl darf nicht kleiner als die Mindestzahl sein." in refused.content.decode()
    refused = client.post(f"{draft}feld/0.1/", {**settings, "min": "1", "key": "name"})
    assert "Diese Kennung gibt es in diesem Formular schon." in refused.content.decode()
    assert _definition()["steps"][0]["items"][1] == group | {"group": group["group"][1:]}
    rule = {"===": [{"var": "name"}, "Hundeverein"]}
    settings |= {"min": "1", "max": "4", "add_label": "weiteren Hund angeben"}
    saved = client.post(f"{draft}feld/0.1/", {**settings, "show_if": json.dumps(rule)})
    assert saved["Location"] == draft
    assert _definition()["steps"][0]["items"][1] == {
        "key": "hunde",
        "label": "Hunde",
        "min": 1,
        "max": 4,
        "add_label": "weiteren Hund angeben",
        "show_if": rule,
        "group": [{"key": "geboren_am", "type": "date", "label": "Geboren am"}],
    }

    step = {"title": "Halterin oder Halter", "key": "halter", "show_if": "ja"}
    refused = client.post(f"{draft}schritt/0/", step)
    assert refused.status_code == 422
    assert "Bitte eine Regel in JSON Logic angeben" in refused.content.decode()
    assert _definition()["steps"][0]["key"] == "angaben"
    assert client.post(f"{draft}schritt/0/", {**step, "show_if": ""}).status_code == 302
    first = _definition()["steps"][0]
    assert (first["key"], first["title"], "show_if" in first) == ("halter", step["title"], False)
    assert client.get(f"{draft}schritt/1/").status_code == 404
    assert "Gruppe „Hunde“" in client.get(draft).content.decode()


def test_fees_are_set_as_rows_in_euros_or_as_a_rule(client_as, land_admin):
    client = client_as(land_admin)
    _new(client)
    draft = f"{BASE}/entwurf/"
    settings = {
        "aktion": "einstellungen",
        "title": "Hundehaltung anzeigen",
        "assurance_level": "niedrig",
        "retention_days": "365",
        "delivery": ["eingang"],
    }
    fee = {"label": "Verwaltungsgebühr", "key": "gebuehr", "amount": "vierzig", "example": "on"}
    refused = client.post(draft, settings | _fee_rows(fee))
    assert refused.status_code == 422
    page = refused.content.decode()
    assert (
        '<a class="kern-link" href="#id_gebuehr-0-amount">Gebühr 1, Betrag: Bitte geben Sie '
        "einen Betrag in Euro ein, z. B. 12,50.</a>"
    ) in page
    assert page.count("Bitte geben Sie einen Betrag in Euro ein, z. B. 12,50.") == 2
    assert "fees" not in _definition()

    rule = {"if": [{"===": [{"var": "gefaehrlich"}, True]}, 8000, 4000]}
    twice = _fee_rows(fee | {"amount": "40,00"}, fee | {"amount": json.dumps(rule)})
    refused = client.post(draft, settings | twice)
    assert "Jede Gebühr braucht eine eigene Kennung." in refused.content.decode()
    assert "fees" not in _definition()

    second = {"label": "Zuschlag", "key": "zuschlag", "amount": json.dumps(rule)}
    rows = _fee_rows(fee | {"amount": "1.234,50", "basis": "Satzung § 3"}, second)
    assert client.post(draft, settings | rows)["Location"] == draft
    assert _definition()["fees"] == [
        {
            "key": "gebuehr",
            "label": "Verwaltungsgebühr",
            "amount_cents": 123450,
            "basis": "Satzung § 3",
            "example": True,
        },
        {"key": "zuschlag", "label": "Zuschlag", "amount_cents": rule},
    ]
    page = client.get(draft).content.decode()
    assert 'value="1.234,50"' in page
    assert "Gebühr „Zuschlag“" in page

    removed = _fee_rows(
        fee | {"amount": "1.234,50", "DELETE": "on"}, second | {"amount": "{kein json"}, initial=2
    )
    refused = client.post(draft, settings | removed)
    assert "Die Regel ist kein gültiges JSON-Objekt." in refused.content.decode()
    assert len(_definition()["fees"]) == 2
    removed["gebuehr-1-amount"] = json.dumps(rule)
    client.post(draft, settings | removed)
    assert _definition()["fees"] == [{"key": "zuschlag", "label": "Zuschlag", "amount_cents": rule}]


def test_a_choice_takes_its_options_from_a_code_list(client_as, land_admin):
    client = client_as(land_admin)
    _new(client)
    field = {"label": "Staatsangehörigkeit", "key": "staat", "type": "choice", "widget": "select"}
    saved = client.post(f"{BASE}/entwurf/feld/0.0/", field | {"code_list": "staat"})
    assert saved.status_code == 302
    stored = _definition()["steps"][0]["items"][0]
    assert (stored["code_list"], len(stored["options"])) == ("staat", 250)
    assert {"value": "XK", "label": "Kosovo"} in stored["options"]
    page = client.get(f"{BASE}/entwurf/feld/0.0/").content.decode()
    assert '<option value="staat" selected>Staaten und Gebiete (ISO 3166-1' in page
    assert "XK = Kosovo" not in page  # the list's options are not edited by hand


def test_a_fields_relations_are_kept_and_set_as_json(client_as, land_admin):
    client = client_as(land_admin)
    _new(client)
    relation = RANGE["steps"][0]["items"][2]["relations"]
    form = FormDefinition.objects.get(key="hundehaltung")
    draft_save(actor=land_admin, form=form, definition=RANGE)
    page = client.get(f"{BASE}/entwurf/feld/0.2/").content.decode()
    shown = re.search(r'<textarea [^>]*name="relations"[^>]*>([^<]*)</textarea>', page).group(1)
    assert json.loads(html.unescape(shown)) == relation
    field = {
        "label": "Bis (Datum)",
        "key": "bis",
        "type": "date",
        "relations": html.unescape(shown),
    }
    assert client.post(f"{BASE}/entwurf/feld/0.2/", field).status_code == 302
    assert _definition()["steps"][0]["items"][2] == {
        "key": "bis",
        "type": "date",
        "label": "Bis (Datum)",
        "relations": relation,
    }
    refused = client.post(f"{BASE}/entwurf/feld/0.2/", {**field, "relations": "[nicht json"})
    assert refused.status_code == 422
    assert (
        "Bitte als JSON angeben, z. B. [{&quot;op&quot;: &quot;&gt;=&quot;, &quot;field&quot;: "
        "&quot;datum_von&quot;}]." in refused.content.decode()
    )
    assert _definition()["steps"][0]["items"][2]["relations"] == relation
    client.post(f"{BASE}/entwurf/feld/0.2/", {**field, "relations": ""})
    assert "relations" not in _definition()["steps"][0]["items"][2]


def test_after_a_button_the_new_or_moved_step_or_field_has_the_focus(client_as, land_admin):
    """The page reloads at the element the button changed (a fragment on a
    focusable target), not at the top: without JavaScript too."""
    client = client_as(land_admin)
    _new(client)
    draft = f"{BASE}/entwurf/"

    def post(action: str, **fields: str) -> str:
        return client.post(draft, {"aktion": action, **fields})["Location"]

    assert post("schritt-neu", titel="Der Hund") == f"{draft}#schritt-1"
    assert post("feld-neu:1", **{"typ-1": "group", "bezeichnung-1": "Hunde"}) == f"{draft}#feld-1.1"
    assert (
        post("feld-neu:1.1", **{"typ-1.1": "date", "bezeichnung-1.1": "Geboren am"})
        == f"{draft}#feld-1.1.1"
    )
    assert post("hoch:1.1.1") == f"{draft}#feld-1.1.0"
    assert post("hoch:1.1.0") == f"{draft}#feld-1.1.0"  # already first: it stays
    assert post("runter:1.0") == f"{draft}#feld-1.1"
    assert post("hoch:1") == f"{draft}#schritt-0"
    assert post("entfernen:0.1") == f"{draft}#schritt-0"
    assert post("entfernen:0.0.1") == f"{draft}#feld-0.0"
    assert post("entfernen:1") == f"{draft}#schritt-0"  # the step before it
    page = client.get(draft).content.decode()
    assert '<fieldset class="kern-fieldset editor-step" id="schritt-0" tabindex="-1">' in page
    assert '<li id="feld-0.0" tabindex="-1">' in page
    assert '<li id="feld-0.0.0" tabindex="-1">' in page


def test_an_error_of_a_checkbox_group_is_linked_and_marks_its_boxes(client_as, land_admin):
    client = client_as(land_admin)
    _new(client)
    client.post(
        f"{BASE}/entwurf/", {"aktion": "feld-neu:0", "typ-0": "file", "bezeichnung-0": "Foto"}
    )
    refused = client.post(
        f"{BASE}/entwurf/feld/0.1/",
        {"label": "Foto", "key": "foto", "type": "file", "accept": ["text/html"]},
    )
    assert refused.status_code == 422
    page = lxml.html.fromstring(refused.content)
    link = page.xpath('//*[@id="fehler"]//a')[0]
    assert link.text_content().startswith("erlaubte Dateitypen: ")
    assert link.get("href") == "#id_accept_0"
    boxes = page.xpath('//input[@name="accept"]')
    assert [box.get("aria-invalid") for box in boxes] == ["true"] * len(ACCEPT)
    message = page.get_element_by_id(boxes[0].get("aria-describedby")).text_content().strip()
    assert message == link.text_content().removeprefix("erlaubte Dateitypen: ")
