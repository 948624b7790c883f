from datetime import date

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from openamt.catalogue.models import OzgService, Service, ServiceTerm, ServiceText
from openamt.core.errors import ImportFormatError, InvalidInput
from openamt.core.models import AuditEntry
from openamt.organisations.models import Authority, AuthorityRole, Tenant
from openamt.organisations.services import authority_update
from openamt.regions.models import Region
from openamt.responsibility.models import Responsibility, ResponsibilityRule
from openamt.responsibility.selectors import responsibility_answer
from openamt.responsibility.xzufi import model as m
from openamt.responsibility.xzufi.collect import collect_document
from openamt.responsibility.xzufi.reader import read_document
from openamt.responsibility.xzufi.store import xzufi_import
from openamt.responsibility.xzufi.writer import document_xml

WOHNSITZ = "99115005104000"
ZULASSUNG = "99036010007000"
NS = {"x": m.NS}


def _export() -> bytes:
    return document_xml(collect_document(), agency="openamt_16", sender="OpenAmt Thüringen")


def _import(data: bytes):
    document, notes = read_document(data)
    return xzufi_import(document=document), notes


@pytest.fixture
def enriched(erfurt, lindenberg, land_admin):
    """Data beyond the register: texts, a specialisation, contact data, entries."""
    wohnsitz = Service.objects.get(leika_key=WOHNSITZ)
    ServiceText.objects.create(
        service=wohnsitz,
        description="Wer umzieht, meldet sich binnen zwei Wochen an.",
        required_documents="Personalausweis\nWohnungsgeberbestätigung",
        fees="gebührenfrei",
        deadlines="2 Wochen nach Einzug",
        processing_time="sofort",
        forms="Meldeschein",
    )
    ServiceText.objects.create(service=wohnsitz, authority=erfurt, fees="Erfurt: gebührenfrei")
    authority_update(
        actor=land_admin,
        authority=erfurt,
        data={
            "street": "Fischmarkt 1",
            "postcode": "99084",
            "city": "Erfurt",
            "phone": "0361 6550",
            "email": "buergerservice@erfurt.de",
            "website": "https://www.erfurt.de",
            "opening_hours": [
                {"day": 0, "opens": "08:00", "closes": "18:00", "note": ""},
                {"day": 3, "opens": "09:00", "closes": "12:00", "note": "nur mit Termin"},
            ],
            "leitweg_id": "16051000-12345-94",
            "iban": "DE02120300000000202051",
            "bic": "BYLADEM1001",
            "account_holder": "Landeshauptstadt Erfurt",
        },
    )
    zulassung = Service.objects.get(leika_key=ZULASSUNG)
    Responsibility.objects.create(
        service=zulassung,
        authority=erfurt,
        area_ars="160510000000",
        online_service_url="https://www.erfurt.de/zulassung",
    )
    Responsibility.objects.create(
        service=wohnsitz,
        authority=lindenberg,
        area_ars="160615001",
        role="ansprechpunkt",
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 12, 31),
    )
    return erfurt


def _wipe() -> None:
    """Everything XZuFi carries, as in an installation that has only the register."""
    Responsibility.objects.all().delete()
    ResponsibilityRule.objects.all().delete()
    ServiceText.objects.all().delete()
    ServiceTerm.objects.all().delete()
    Service.objects.all().delete()
    OzgService.objects.all().delete()
    Tenant.objects.all().delete()
    AuthorityRole.objects.all().delete()
    Authority.objects.all().delete()


def test_export_import_into_an_empty_database_export_is_identical(enriched):
    first = _export()
    counts = (Service.objects.count(), Authority.objects.count(), OzgService.objects.count())
    _wipe()
    assert Service.objects.count() == Authority.objects.count() == 0

    summary, notes = _import(first)

    assert notes == []
    assert _export() == first
    assert (
        Service.objects.count(),
        Authority.objects.count(),
        OzgService.objects.count(),
    ) == counts
    assert summary.created["leistung"] == counts[0]
    assert summary.created["organisationseinheit"] == counts[1]
    # The answers survive the journey, now from entries instead of rules.
    answer = responsibility_answer(service_query=WOHNSITZ, place_query="99084")
    assert (answer.finding.authority.name, answer.finding.source) == (
        "Stadtverwaltung Erfurt",
        "entry",
    )
    answer = responsibility_answer(service_query=ZULASSUNG, place_query="Moxa")
    assert answer.finding.authority.name == "Landratsamt Saale-Orla-Kreis"
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    assert erfurt.destination_id == enriched.destination_id
    assert erfurt.opening_hours[1] == {
        "day": 3,
        "opens": "09:00",
        "closes": "12:00",
        "note": "nur mit Termin",
    }
    assert (erfurt.leitweg_id, erfurt.iban) == ("16051000-12345-94", "DE02120300000000202051")
    assert sorted(erfurt.regions.values_list("ars", flat=True)) == ["16051", "160510000"]
    entry = Responsibility.objects.get(
        service__leika_key=ZULASSUNG, authority=erfurt, area_ars="160510000000"
    )
    assert entry.online_service_url == "https://www.erfurt.de/zulassung"
    contact = Responsibility.objects.get(role="ansprechpunkt")
    assert (contact.area_ars, contact.valid_from, contact.valid_until) == (
        "160615001",
        date(2026, 1, 1),
        date(2027, 12, 31),
    )
    assert ServiceText.objects.get(authority=erfurt).fees == "Erfurt: gebührenfrei"


def test_reimporting_the_own_export_changes_nothing(enriched):
    data = _export()
    before = (
        Responsibility.objects.count(),
        AuditEntry.objects.count(),
        ServiceText.objects.count(),
    )

    summary, _ = _import(data)

    assert summary.changed == 0
    assert summary.skipped["durch Regel abgedeckt"] > 20000
    assert (
        Responsibility.objects.count(),
        AuditEntry.objects.count(),
        ServiceText.objects.count(),
    ) == before


def test_the_export_has_the_pvog_shape(enriched):
    root = etree.fromstring(_export())
    assert root.get("xzufiVersion") == "2.2.0"
    assert len(root.findall("x:schreibe/x:leistung", NS)) == Service.objects.count()
    leistung = root.xpath(f"x:schreibe/x:leistung[x:id='{WOHNSITZ}']", namespaces=NS)[0]
    assert leistung.findtext("x:referenzLeiKa/code", namespaces=NS) == WOHNSITZ
    modules = {
        t.findtext("x:leikaTextmodul/code", namespaces=NS): t.findtext("x:inhalt", namespaces=NS)
        for t in leistung.findall("x:modulText", namespaces=NS)
    }
    assert modules["02"] == "Wohnsitz Anmeldung"
    assert modules["08"] == "Personalausweis\nWohnungsgeberbestätigung"
    assert leistung.findtext("x:modulKosten/x:beschreibung", namespaces=NS) == "gebührenfrei"
    oe = root.xpath(
        "x:schreibe/x:organisationseinheit[x:name/x:name='Stadtverwaltung Erfurt']", namespaces=NS
    )[0]
    assert oe.get(f"{{{m.XSI}}}type") == "xzufi:OrganisationseinheitErweitert"
    assert oe.findtext("x:id", namespaces=NS) == str(enriched.destination_id)
    wohnsitz = oe.xpath(f"x:zustaendigkeit[x:leistungID='{WOHNSITZ}']", namespaces=NS)[0]
    assert [g.text for g in wohnsitz.findall("x:gebietID", NS)] == ["160510000"]
    assert wohnsitz.findtext("x:rolle/code", namespaces=NS) == "02"
    online = root.find("x:schreibe/x:onlinedienst", NS)
    assert online.findtext("x:link/x:link", namespaces=NS) == "https://www.erfurt.de/zulassung"
    assert online.findtext("x:zustaendigkeit/x:gebietID", namespaces=NS) == "160510000000"


def _document(body: str) -> bytes:
    return (
        f'<x:transfer xmlns:x="{m.NS}" xzufiVersion="2.2.0"><x:nachrichtenkopf/>{body}</x:transfer>'
    ).encode()


FOREIGN_LEISTUNG = """
<x:schreibe><x:leistung>
  <x:id schemeAgencyID="S10005">S10005_4711</x:id>
  <x:referenzLeiKa><code>99108001000000</code></x:referenzLeiKa>
  <x:modulText><x:leikaTextmodul><code>03</code></x:leikaTextmodul>
    <x:inhalt languageCode="en">Residents' parking permit</x:inhalt><x:inhalt languageCode="de">Bewohnerparkausweis</x:inhalt></x:modulText>
</x:leistung></x:schreibe>"""


def test_a_pvog_style_document_from_another_system_is_read(register):
    data = _document(
        FOREIGN_LEISTUNG
        + """<x:schreibe><x:organisationseinheit>
          <x:id schemeAgencyID="S10005">oe-1</x:id>
          <x:idSekundaer schemeID="urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs">160755013</x:idSekundaer>
          <x:name><x:name languageCode="de">Verwaltungsgemeinschaft Ranis-Ziegenrück</x:name></x:name>
          <x:zustaendigkeit><x:leistungID>S10005_4711</x:leistungID>
            <x:gebietID>160755013</x:gebietID><x:rolle><code>01</code></x:rolle></x:zustaendigkeit>
          <x:zustaendigkeit><x:leistungID>S10005_4711</x:leistungID>
            <x:gebietID>160755013</x:gebietID><x:rolle><code>99</code></x:rolle></x:zustaendigkeit>
        </x:organisationseinheit></x:schreibe>
        <x:schreibe><x:leistungsbuendel/></x:schreibe>"""
    )
    document, notes = read_document(data)
    assert [(le.key, le.name) for le in document.leistungen] == [
        ("99108001000000", "Bewohnerparkausweis")
    ]
    (oe,) = document.organisationseinheiten
    assert oe.zustaendigkeiten == (
        m.Zustaendigkeit("99108001000000", ("160755013",), "zustaendig"),
    )
    assert notes[-1] == "Nicht übernommen: leistungsbuendel"
    assert "Rolle „99“ übersprungen" in notes[0]


def test_xml_with_entities_is_refused_and_nothing_is_written(register):
    before = Service.objects.count()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        + _document(FOREIGN_LEISTUNG.replace("Bewohnerparkausweis", "&b;"))
    )
    with pytest.raises(ImportFormatError, match="DOCTYPE"):
        read_document(bomb)
    external = b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">' + _document("")
    with pytest.raises(ImportFormatError, match="DOCTYPE"):
        read_document(external)
    with pytest.raises(ImportFormatError, match=r"kein XZuFi-2\.2-Dokument"):
        read_document(b'<transfer xzufiVersion="2.2.0"/>')
    assert Service.objects.count() == before


def test_a_bad_zustaendigkeit_names_its_line_and_nothing_is_written(register):
    data = _document(
        FOREIGN_LEISTUNG.replace("99108001000000", "99108001999000")
        + """<x:schreibe><x:organisationseinheit>
          <x:id>oe-2</x:id><x:name><x:name>Amt</x:name></x:name>
          <x:zustaendigkeit><x:leistungID>S10005_4711</x:leistungID>
            <x:gebietID>16-07</x:gebietID></x:zustaendigkeit>
        </x:organisationseinheit></x:schreibe>"""
    )
    with pytest.raises(
        ImportFormatError, match=r"Zeile 10: Gebiet „16-07“ ist kein Regionalschlüssel"
    ):
        read_document(data)
    unknown_region = _document(
        FOREIGN_LEISTUNG.replace("99108001000000", "99108001999000")
        + """<x:schreibe><x:organisationseinheit><x:id>oe-3</x:id><x:name><x:name>Amt</x:name></x:name>
          <x:idSekundaer schemeID="urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs">169999999</x:idSekundaer>
        </x:organisationseinheit></x:schreibe>"""
    )
    document, _ = read_document(unknown_region)
    with pytest.raises(InvalidInput, match="Gebiet 169999999 fehlt im Gemeindeverzeichnis"):
        xzufi_import(document=document)
    assert not Service.objects.filter(leika_key="99108001999000").exists()
    assert not Authority.objects.filter(name="Amt").exists()


def test_the_command_exports_and_imports_files(enriched, tmp_path, capsys):
    path = tmp_path / "xzufi.xml"
    call_command("xzufi", "export", str(path))
    assert path.read_bytes() == _export()
    call_command("xzufi", "import", str(path))
    assert "0 Änderungen." in capsys.readouterr().out
    path.write_bytes(b"<kaputt>")
    with pytest.raises(CommandError, match=r"kein wohlgeformtes XML.*Es wurde nichts importiert"):
        call_command("xzufi", "import", str(path))
    assert Region.objects.filter(ars="160510000000").exists()
