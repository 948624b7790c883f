"""The Land's texts for the services of the shipped forms, and legal bases as links."""

import json

import pytest

from openamt.catalogue.legal import LegalReference, legal_references
from openamt.catalogue.models import ServiceText
from openamt.catalogue.services import DEFAULT_TEXTS, service_text_save, texts_load
from openamt.core.errors import InvalidInput
from openamt.core.models import AuditEntry
from openamt.forms.tests.test_shipped import FORM_FILES

SHIPPED_KEYS = sorted({json.loads(p.read_text())["leika_key"] for p in FORM_FILES})


def test_every_shipped_form_has_the_lands_text_for_its_service(register):
    assert len(FORM_FILES) == 11
    assert len(SHIPPED_KEYS) == 10
    texts = {
        t.service.leika_key: t
        for t in ServiceText.objects.filter(authority__isnull=True).select_related("service")
    }
    for key in SHIPPED_KEYS:
        text = texts[key]
        for field in ("description", "required_documents", "fees", "processing_time"):
            assert len(getattr(text, field)) > 20, (key, field)
        assert legal_references(text.legal_basis), key
        assert "[" not in text.description  # no placeholders in citizens' texts


def test_loading_again_changes_nothing_and_keeps_the_lands_edits(register, land_admin):
    hund = ServiceText.objects.get(service__leika_key="99102013000000", authority__isnull=True)
    service_text_save(
        actor=land_admin,
        service=hund.service,
        authority=None,
        data={"description": "Unser eigener Text", "fees": "keine"},
    )
    before = list(ServiceText.objects.order_by("pk").values())
    audit = AuditEntry.objects.count()
    counts = texts_load()
    assert counts == {"texts kept": 10}
    assert list(ServiceText.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audit


def test_a_missing_text_is_created_and_audited(register):
    ServiceText.objects.filter(service__leika_key="99128009012000").delete()
    assert texts_load() == {"texts created": 1, "texts kept": 9}
    text = ServiceText.objects.get(service__leika_key="99128009012000", authority__isnull=True)
    assert text.deadlines.startswith("Bis zum zweiten Tag vor der Wahl, 18 Uhr")
    entry = AuditEntry.objects.get(action="service_text.load", object_id=str(text.pk))
    assert entry.changes == {"service": "99128009012000", "source": "texts_thueringen.json"}


def test_a_text_for_an_unknown_service_is_refused_and_nothing_is_stored(register, tmp_path):
    ServiceText.objects.filter(service__leika_key="99128009012000").delete()
    data = json.loads(DEFAULT_TEXTS.read_text(encoding="utf-8"))
    data["99999999999999"] = {"description": "gibt es nicht"}
    path = tmp_path / "texte.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        InvalidInput, match=r"texte\.json: Leistung 99999999999999 fehlt im Katalog\."
    ):
        texts_load(path=path)
    assert not ServiceText.objects.filter(service__leika_key="99128009012000").exists()


def test_catalogue_references_become_official_https_links():
    text = (
        "§ 14 Gewerbeordnung (GewO) [http://www.gesetze-im-internet.de/gewo/__14.html], "
        "Gewerbeanzeigeverordnung (GewAnzV) [http://www.gesetze-im-internet.de/gewanzv_2014/]"
    )
    assert legal_references(text) == [
        LegalReference(
            "§ 14 Gewerbeordnung (GewO)", "https://www.gesetze-im-internet.de/gewo/__14.html"
        ),
        LegalReference(
            "Gewerbeanzeigeverordnung (GewAnzV)", "https://www.gesetze-im-internet.de/gewanzv_2014/"
        ),
    ]


def test_references_per_line_with_derived_links_and_no_unsafe_ones():
    text = (
        "§ 27 Absatz 4 Bundeswahlordnung (BWO)\n\n"
        "§ 5 Thüringer Kommunalabgabengesetz (ThürKAG)\n"
        "Satzung der Gemeinde, § 3\n"
        "Richtlinie [javascript:alert(1)]\n"
        "Sozialgesetzbuch Achtes Buch (SGB VIII)"
    )
    assert legal_references(text) == [
        LegalReference(
            "§ 27 Absatz 4 Bundeswahlordnung (BWO)",
            "https://www.gesetze-im-internet.de/bwo_1985/__27.html",
        ),
        LegalReference("§ 5 Thüringer Kommunalabgabengesetz (ThürKAG)", ""),
        LegalReference("Satzung der Gemeinde, § 3", ""),
        LegalReference("Richtlinie", ""),
        LegalReference(
            "Sozialgesetzbuch Achtes Buch (SGB VIII)", "https://www.gesetze-im-internet.de/sgb_8/"
        ),
    ]
