"""A condition is built by choosing field, comparison and value (no JavaScript);
the JSON Logic it produces lands in the rule field, which stays editable."""

import json

from openamt.backoffice.tests.test_form_editor import BASE, _definition, _new


def _dog_form(client):
    _new(client)
    client.post(f"{BASE}/entwurf/", {"aktion": "schritt-neu", "titel": "Der Hund"})
    for kind, label in (
        ("yes_no", "Gefährlicher Hund?"),
        ("file", "Erlaubnis"),
        ("number", "Alter"),
    ):
        client.post(
            f"{BASE}/entwurf/", {"aktion": "feld-neu:1", "typ-1": kind, "bezeichnung-1": label}
        )
    client.post(f"{BASE}/entwurf/", {"aktion": "entfernen:1.0"})


PERMIT = {
    "label": "Erlaubnis",
    "key": "erlaubnis",
    "type": "file",
    "accept": ["application/pdf"],
    "max_size_mb": "5",
    "show_if": "",
    "required_if": "",
}


def test_the_builder_writes_json_logic_into_the_rule_field(client_as, land_admin):
    client = client_as(land_admin)
    _dog_form(client)
    page = client.get(f"{BASE}/entwurf/feld/1.1/").content.decode()
    assert "Bedingung zusammenstellen" in page
    assert (
        '<option value="gefaehrlicher_hund">Gefährlicher Hund? (gefaehrlicher_hund)</option>'
        in page
    )
    assert '<option value="erlaubnis">' not in page  # a file is nothing to compare with
    built = client.post(
        f"{BASE}/entwurf/feld/1.1/",
        {
            **PERMIT,
            "aktion": "bedingung",
            "bedingung-regel": "required_if",
            "bedingung-feld": "gefaehrlicher_hund",
            "bedingung-vergleich": "gleich",
            "bedingung-wert": "Ja",
        },
    )
    html = built.content.decode()
    assert built.status_code == 200
    rule = json.dumps({"===": [{"var": "gefaehrlicher_hund"}, True]})
    assert (
        "{&quot;===&quot;: [{&quot;var&quot;: &quot;gefaehrlicher_hund&quot;}, true]}</textarea>"
        in html
    )
    assert "Die Bedingung steht jetzt im Feld „Pflicht, wenn (JSON Logic)“." in html
    assert "required_if" not in _definition()["steps"][1]["items"][1]  # not saved yet

    assert (
        client.post(f"{BASE}/entwurf/feld/1.1/", {**PERMIT, "required_if": rule}).status_code == 302
    )
    assert _definition()["steps"][1]["items"][1]["required_if"] == {
        "===": [{"var": "gefaehrlicher_hund"}, True]
    }


def test_a_comparison_that_does_not_fit_is_refused_next_to_it(client_as, land_admin):
    client = client_as(land_admin)
    _dog_form(client)
    before = _definition()
    response = client.post(
        f"{BASE}/entwurf/feld/1.1/",
        {
            **PERMIT,
            "aktion": "bedingung",
            "bedingung-regel": "show_if",
            "bedingung-feld": "gefaehrlicher_hund",
            "bedingung-vergleich": "groesser",
            "bedingung-wert": "3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_bedingung-vergleich-error"' in html
    assert "„größer“ und „kleiner“ gibt es nur bei Zahlen, Beträgen und Daten." in html
    assert _definition() == before


def test_steps_get_the_builder_for_their_condition(client_as, land_admin):
    client = client_as(land_admin)
    _dog_form(client)
    response = client.post(
        f"{BASE}/entwurf/schritt/1/",
        {
            "title": "Der Hund",
            "key": "der_hund",
            "show_if": "",
            "aktion": "bedingung",
            "bedingung-regel": "show_if",
            "bedingung-feld": "alter",
            "bedingung-vergleich": "groesser",
            "bedingung-wert": "2",
        },
    )
    html = response.content.decode()
    assert '<option value="required_if"' not in html
    assert "{&quot;&gt;&quot;: [{&quot;var&quot;: &quot;alter&quot;}, 2]}</textarea>" in html
