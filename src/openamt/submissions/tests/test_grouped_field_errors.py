"""Errors of fields made of several inputs (an address, a place, radio and
checkbox groups) stand next to the input that is wrong; that input is marked
invalid and described by the message, and the error summary links to it."""

import lxml.html
import pytest

from openamt.catalogue.models import Service
from openamt.forms.services import draft_save, form_create, version_publish
from openamt.testing.accounts import holder_client, make_holder

MOXA = "16075069"
CONTACT = {
    "title": "Kontakt",
    "retention_days": 30,
    "steps": [
        {
            "key": "angaben",
            "title": "Angaben",
            "items": [
                {"key": "anschrift", "type": "address", "label": "Anschrift", "required": True},
                {"key": "ort", "type": "place", "label": "Wohnort", "required": True},
                {"key": "zuzug", "type": "yes_no", "label": "Zugezogen?", "required": True},
                {
                    "key": "art",
                    "type": "choice",
                    "label": "Art",
                    "widget": "radio",
                    "required": True,
                    "options": [
                        {"value": "neu", "label": "Neu"},
                        {"value": "aenderung", "label": "Änderung"},
                    ],
                },
                {
                    "key": "wege",
                    "type": "choice",
                    "label": "Erreichbar über",
                    "widget": "checkbox",
                    "options": [{"value": "post", "label": "Post"}],
                },
            ],
        }
    ],
}


@pytest.fixture
def step_url(register):
    form = form_create(
        actor=None,
        key="kontakt",
        service=Service.objects.get(leika_key="99102013000000"),
        title="Kontakt",
    )
    version_publish(actor=None, version=draft_save(actor=None, form=form, definition=CONTACT))
    client = holder_client(make_holder("paula@example.org"))
    started = client.post(f"/antrag/kontakt/?ort={MOXA}")
    return client, started["Location"]


def _post(client, url: str, **answers: str):
    response = client.post(url, {"aktion": "weiter", **answers})
    assert response.status_code == 422
    return lxml.html.fromstring(response.content)


def _summary_links(page) -> dict[str, str]:
    return {a.text_content(): a.get("href") for a in page.xpath('//*[@id="fehler"]//a')}


def _error_beside(page, input_id: str) -> str:
    """The message shown in the input's own block, and the one the input names."""
    field = page.get_element_by_id(input_id)
    described = field.get("aria-describedby")
    assert field.get("aria-invalid") == "true"
    own_block = field.getparent().xpath('*[@class="kern-error"]')
    assert [error.get("id") for error in own_block] == [described]
    return page.get_element_by_id(described).text_content().strip()


def test_the_wrong_part_of_an_address_or_place_is_named_and_marked(step_url):
    client, url = step_url
    page = _post(
        client,
        url,
        anschrift__street="Dorfstraße 7",
        anschrift__postcode="07330",
        anschrift__city="Erfurt",
        ort__postcode="0733",
        ort__city="Moxa",
        zuzug="nein",
        art="neu",
    )
    assert _error_beside(page, "f-anschrift-city") == "Der Ort passt nicht zur Postleitzahl 07330."
    assert _error_beside(page, "f-ort-postcode") == "Die Postleitzahl hat fünf Ziffern."
    for fine in ("f-anschrift-street", "f-anschrift-postcode", "f-ort-city"):
        field = page.get_element_by_id(fine)
        assert (field.get("aria-invalid"), field.get("aria-describedby")) == (None, None)
    assert _summary_links(page) == {
        "Anschrift: Der Ort passt nicht zur Postleitzahl 07330.": "#f-anschrift-city",
        "Wohnort: Die Postleitzahl hat fünf Ziffern.": "#f-ort-postcode",
    }


def test_an_empty_group_marks_each_of_its_inputs(step_url):
    client, url = step_url
    page = _post(client, url, wege="brieftaube")
    message = "Bitte füllen Sie dieses Feld aus."
    for input_id in (
        "f-anschrift-street",
        "f-anschrift-postcode",
        "f-anschrift-city",
        "f-zuzug-ja",
        "f-zuzug-nein",
        "f-art-1",
        "f-art-2",
    ):
        field = page.get_element_by_id(input_id)
        assert field.get("aria-invalid") == "true", input_id
        described = page.get_element_by_id(field.get("aria-describedby"))
        assert described.text_content().strip() == message, input_id
    checkbox = page.get_element_by_id("f-wege-1")
    assert checkbox.get("aria-invalid") == "true"
    assert page.get_element_by_id(checkbox.get("aria-describedby")).text_content().strip() == (
        "Bitte wählen Sie nur angebotene Möglichkeiten."
    )
    assert _summary_links(page) == {
        f"Anschrift: {message}": "#f-anschrift-street",
        f"Wohnort: {message}": "#f-ort-postcode",
        f"Zugezogen?: {message}": "#f-zuzug-ja",
        f"Art: {message}": "#f-art-1",
        "Erreichbar über: Bitte wählen Sie nur angebotene Möglichkeiten.": "#f-wege-1",
    }
