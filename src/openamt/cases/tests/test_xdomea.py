"""The xdomea 3.0 Aussonderung: messages to the archive are schema-valid and
carry every document with its hash; the archive's answers are read only when
they are what they claim, for the process they claim."""

import hashlib
import io
import re
import zipfile
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from openamt.cases.xdomea.build import (
    offer_build,
    package_file_name,
    transfer_build,
    transfer_write,
)
from openamt.cases.xdomea.common import (
    NS,
    XdomeaError,
    XdomeaIntegrityError,
    XdomeaMessageError,
    XdomeaProcessMismatch,
    xml_text,
)
from openamt.cases.xdomea.parse import (
    MAX_ANSWER_BYTES,
    AppraisalResult,
    ImportConfirmation,
    Receipt,
    answer_parse,
    appraisal_parse,
    import_confirmation_parse,
    message_identify,
    offer_receipt_parse,
    transfer_receipt_parse,
)
from openamt.cases.xdomea.records import (
    Appraisal,
    ArchiveDocument,
    ArchiveFile,
    FilingPlanEntry,
    Organisation,
)
from openamt.cases.xdomea.schema import (
    XdomeaSchemaUnavailable,
    message_validate,
    schema_available,
    schema_path,
)
from openamt.cases.xdomea.testing import (
    appraisal_build,
    import_confirmation_build,
    offer_receipt_build,
    transfer_contents,
    transfer_receipt_build,
)

X = {"x": NS}
AUTHORITY = Organisation(
    name="Stadtverwaltung Erfurt", code="160510000000", prefix="ars", short_name="SV Erfurt"
)
ARCHIVE = Organisation(name="Landesarchiv Thüringen – Hauptstaatsarchiv Weimar", code="LATh-HStA")


@pytest.fixture
def xdomea_schema():
    if not schema_available():
        pytest.skip(
            f"{schema_path()} fehlt: xdomea-3.0.0-Schema (OPENAMT_XDOMEA_SCHEMA_DIR) / "
            "xdomea 3.0.0 schema not installed"
        )


def _document(title: str, file_name: str, data: bytes, mime_type: str = "application/pdf"):
    return ArchiveDocument(
        id=uuid4(),
        title=title,
        document_type="Antrag",
        date=date(2025, 3, 3),
        author="Erika Mustermann",
        version="1",
        file_name=file_name,
        mime_type=mime_type,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )


def _files() -> list[ArchiveFile]:
    application = _document("Antrag auf Bewohnerparkausweis", "Antrag.pdf", b"%PDF-1.7 Antrag")
    proof = _document(
        "Meldebestätigung (Scan)", "Meldebestätigung Müller.jpeg", b"\xff\xd8jpeg", "image/jpeg"
    )
    decision = _document("Bescheid", "bescheid.pdf", b"%PDF-1.7 Bescheid")
    note = _document("Aktenvermerk", "vermerk", b"Vermerk", "application/x-unbekannt")
    return [
        ArchiveFile(
            id=uuid4(),
            file_number="32.10.01-0017/2025",
            title="Bewohnerparkausweis Zone A – Müller",
            filing_plan_entry=FilingPlanEntry("32.10.01", "Parkberechtigungen"),
            opened_on=date(2025, 3, 3),
            closed_on=date(2025, 3, 20),
            retention_until=date(2031, 12, 31),
            appraisal=Appraisal.DESTROY,
            documents=(application, proof, decision),
            retention_years=6,
        ),
        ArchiveFile(
            id=uuid4(),
            file_number="10.20-0003/2019",
            title="Einbürgerung Öztürk",
            filing_plan_entry=FilingPlanEntry("10.20", "Staatsangehörigkeit"),
            opened_on=date(2019, 1, 7),
            closed_on=date(2019, 11, 4),
            retention_until=date(2025, 12, 31),
            appraisal=Appraisal.EXAMINE,
            documents=(note,),
        ),
    ]


def _root(content: bytes) -> etree._Element:
    return etree.fromstring(content)


# --- building -------------------------------------------------------------------


def test_offer_is_valid_xdomea_and_names_every_file_without_primary_documents(xdomea_schema):
    files = _files()
    offer = offer_build(
        files=files,
        sender=AUTHORITY,
        receiver=ARCHIVE,
        created_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )

    assert message_validate(offer.content) == []
    assert offer.code == "0501"
    assert offer.file_name == f"{offer.process_id}_Aussonderung.Anbieteverzeichnis.0501.xml"
    root = _root(offer.content)
    assert root.tag == f"{{{NS}}}Aussonderung.Anbieteverzeichnis.0501"
    assert root.findtext("x:Kopf/x:ProzessID", namespaces=X) == str(offer.process_id)
    assert root.findtext("x:Kopf/x:Nachrichtentyp/code", namespaces=X) == "0501"
    assert root.findtext("x:Kopf/x:Erstellungszeitpunkt", namespaces=X) == (
        "2026-01-05T09:30:00+00:00"
    )
    assert root.findtext("x:Kopf/x:Empfangsbestaetigung", namespaces=X) == "1"
    akten = root.findall("x:Schriftgutobjekt/x:Akte", X)
    assert [a.findtext("x:Identifikation/x:ID", namespaces=X) for a in akten] == [
        str(f.id) for f in files
    ]
    first = akten[0]
    assert first.findtext("x:AllgemeineMetadaten/x:Kennzeichen", namespaces=X) == (
        "32.10.01-0017/2025"
    )
    assert first.findtext(
        "x:AllgemeineMetadaten/x:Aktenplaneinheit/x:Kennzeichen", namespaces=X
    ) == ("32.10.01")
    assert first.findtext(
        "x:ArchivspezifischeMetadaten/x:Aussonderungsart/x:Aussonderungsart/code", namespaces=X
    ) == ("V")
    assert first.findtext(
        "x:ArchivspezifischeMetadaten/x:Bewertungsvorschlag/code", namespaces=X
    ) == ("V")
    assert first.findtext("x:ArchivspezifischeMetadaten/x:Aufbewahrungsende", namespaces=X) == (
        "2031-12-31"
    )
    # "prüfen" has no Bewertungsvorschlag (that list knows only A and V).
    assert akten[1].find("x:ArchivspezifischeMetadaten/x:Bewertungsvorschlag", X) is None
    assert len(first.findall("x:Akteninhalt/x:Dokument", X)) == 3
    assert root.findall(".//x:Primaerdokument", X) == []


def test_every_offer_starts_a_fresh_process():
    files = _files()
    first = offer_build(files=files, sender=AUTHORITY, receiver=ARCHIVE)
    second = offer_build(files=files, sender=AUTHORITY, receiver=ARCHIVE)

    assert first.process_id != second.process_id


def test_transfer_package_is_valid_and_holds_every_document_with_its_hash(xdomea_schema):
    files = _files()
    offer = offer_build(files=files, sender=AUTHORITY, receiver=ARCHIVE)
    transfer = transfer_build(
        files=files, sender=AUTHORITY, receiver=ARCHIVE, process_id=offer.process_id
    )

    assert transfer.process_id == offer.process_id
    assert transfer.file_name == f"{offer.process_id}_Aussonderung.Aussonderung.0503.zip"
    contents = transfer_contents(transfer.content)
    assert message_validate(contents.message) == []
    assert contents.process_id == offer.process_id
    assert contents.file_ids == tuple(f.id for f in files)
    documents = [d for f in files for d in f.documents]
    expected = {package_file_name(d): d.sha256 for d in documents}
    assert contents.checksums == expected
    assert contents.digests == expected
    with zipfile.ZipFile(io.BytesIO(transfer.content)) as package:
        assert package.namelist()[0] == (f"{offer.process_id}_Aussonderung.Aussonderung.0503.xml")
        for document in documents:
            assert package.read(package_file_name(document)) == document.content
    root = _root(contents.message)
    assert root.findtext("x:Kopf/x:Importbestaetigung", namespaces=X) == "1"
    proof = root.xpath(
        ".//x:Dokument[x:AllgemeineMetadaten/x:Betreff = $t]",
        namespaces=X,
        t="Meldebestätigung (Scan)",
    )[0]
    assert proof.findtext("x:Version/x:Format/x:Name/code", namespaces=X) == "010"  # jpeg
    assert proof.findtext(
        "x:Version/x:Format/x:Primaerdokument/x:DateinameOriginal", namespaces=X
    ) == ("Meldebestätigung Müller.jpeg")
    assert package_file_name(documents[1]) == f"{documents[1].id}_Meldebestaetigung_Mueller.jpeg"
    note = root.xpath(
        ".//x:Dokument[x:AllgemeineMetadaten/x:Betreff = 'Aktenvermerk']", namespaces=X
    )[0]
    assert note.findtext("x:Version/x:Format/x:Name/code", namespaces=X) == "100"
    assert note.findtext("x:Version/x:Format/x:SonstigerName", namespaces=X) == (
        "application/x-unbekannt"
    )


def test_transfer_streams_documents_from_their_opener():
    data = b"%PDF-1.7 " + b"x" * (3 * 1024 * 1024)
    opened: list[io.BytesIO] = []

    def opener() -> io.BytesIO:
        stream = io.BytesIO(data)
        opened.append(stream)
        return stream

    document = ArchiveDocument(
        id=uuid4(),
        title="Großer Scan",
        document_type="Anlage",
        date=date(2025, 1, 2),
        author="Scanstelle",
        version="2",
        file_name="scan.pdf",
        mime_type="application/pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        content=opener,
    )
    archive_file = _files()[0]
    archive_file = ArchiveFile(**{**archive_file.__dict__, "documents": (document,)})
    target = io.BytesIO()

    written = transfer_write(target, files=[archive_file], sender=AUTHORITY, receiver=ARCHIVE)

    assert len(opened) == 1
    assert opened[0].closed
    assert written.documents == {document.id: (package_file_name(document), document.sha256)}
    contents = transfer_contents(target.getvalue())
    assert contents.digests == {package_file_name(document): document.sha256}


def test_transfer_refuses_a_document_whose_bytes_no_longer_match_its_hash():
    archive_file = _files()[0]
    changed = ArchiveDocument(
        **{**archive_file.documents[0].__dict__, "content": b"%PDF-1.7 changed"}
    )
    archive_file = ArchiveFile(**{**archive_file.__dict__, "documents": (changed,)})

    with pytest.raises(XdomeaIntegrityError) as error:
        transfer_build(files=[archive_file], sender=AUTHORITY, receiver=ARCHIVE)
    assert error.value.message == (
        f"Dokument „Antrag auf Bewohnerparkausweis“ ({changed.id}) stimmt nicht mit seiner "
        "gespeicherten SHA-256-Prüfsumme überein; die Aussonderung wird abgebrochen."
    )


def test_a_transfer_needs_files_and_unique_ids():
    with pytest.raises(XdomeaError) as error:
        offer_build(files=[], sender=AUTHORITY, receiver=ARCHIVE)
    assert error.value.message == "Eine Aussonderung braucht mindestens eine Akte."
    archive_file = _files()[0]
    with pytest.raises(XdomeaError):
        transfer_build(files=[archive_file, archive_file], sender=AUTHORITY, receiver=ARCHIVE)


def test_records_refuse_a_malformed_hash():
    with pytest.raises(ValueError, match="Ungültige SHA-256-Prüfsumme"):
        ArchiveDocument(**{**_files()[0].documents[0].__dict__, "sha256": "ABC"})


# --- the archive's answers --------------------------------------------------------


def test_process_round_trip_offer_appraisal_transfer_import(xdomea_schema):
    files = _files()
    ids = [f.id for f in files]
    offer = offer_build(files=files, sender=AUTHORITY, receiver=ARCHIVE)

    receipt = offer_receipt_build(process_id=offer.process_id, sender=ARCHIVE, receiver=AUTHORITY)
    assert message_validate(receipt.content) == []
    assert receipt.file_name == (
        f"{offer.process_id}_Aussonderung.AnbietungEmpfangBestaetigen.0504.xml"
    )
    read = offer_receipt_parse(receipt.content, process_id=offer.process_id)
    assert (read.code, read.process_id, read.sender) == (
        "0504",
        offer.process_id,
        "Landesarchiv Thüringen – Hauptstaatsarchiv Weimar",
    )

    appraisal = appraisal_build(
        process_id=offer.process_id,
        sender=ARCHIVE,
        receiver=AUTHORITY,
        decisions={ids[0]: Appraisal.ARCHIVE, ids[1]: Appraisal.DESTROY},
    )
    assert message_validate(appraisal.content) == []
    decided = appraisal_parse(appraisal.content, process_id=offer.process_id, file_ids=ids)
    assert dict(decided.decisions) == {ids[0]: Appraisal.ARCHIVE, ids[1]: Appraisal.DESTROY}
    assert decided.to_archive == {ids[0]}
    assert decided.to_destroy == {ids[1]}

    kept = [f for f in files if f.id in decided.to_archive]
    transfer = transfer_build(
        files=kept, sender=AUTHORITY, receiver=ARCHIVE, process_id=offer.process_id
    )
    assert transfer_contents(transfer.content).file_ids == (ids[0],)

    arrived = transfer_receipt_build(
        process_id=offer.process_id, sender=ARCHIVE, receiver=AUTHORITY
    )
    assert message_validate(arrived.content) == []
    assert transfer_receipt_parse(arrived.content, process_id=offer.process_id).code == "0507"

    imported = import_confirmation_build(
        process_id=offer.process_id, sender=ARCHIVE, receiver=AUTHORITY, taken_over=[ids[0]]
    )
    assert message_validate(imported.content) == []
    confirmation = import_confirmation_parse(
        imported.content, process_id=offer.process_id, file_ids=[ids[0]]
    )
    assert confirmation.taken_over == {ids[0]}
    assert confirmation.refused == frozenset()
    assert confirmation.results[0].archive_id == "Best. 1/1"
    assert message_identify(imported.content).code == "0506"
    assert message_identify(imported.content).process_id == offer.process_id


def test_any_answer_is_read_by_the_parser_of_its_type():
    process_id, file_id = uuid4(), uuid4()
    head = {"process_id": process_id, "sender": ARCHIVE, "receiver": AUTHORITY}
    answers = [
        offer_receipt_build(**head),
        appraisal_build(**head, decisions={file_id: Appraisal.ARCHIVE}),
        transfer_receipt_build(**head),
        import_confirmation_build(**head, taken_over=[file_id]),
    ]

    read = [answer_parse(a.content, process_id=process_id, file_ids=[file_id]) for a in answers]

    assert [type(r) for r in read] == [Receipt, AppraisalResult, Receipt, ImportConfirmation]
    assert [getattr(r, "code", None) for r in read] == ["0504", None, "0507", None]
    own = offer_build(files=_files(), sender=AUTHORITY, receiver=ARCHIVE, process_id=process_id)
    with pytest.raises(XdomeaMessageError) as error:
        answer_parse(own.content, process_id=process_id)
    assert error.value.message == (
        "Die Nachricht 0501 (Anbieteverzeichnis) ist keine Antwort des Archivs."
    )


def test_answers_are_read_from_a_zip_package_too():
    process_id = uuid4()
    receipt = offer_receipt_build(process_id=process_id, sender=ARCHIVE, receiver=AUTHORITY)
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(receipt.file_name, receipt.content)

    assert offer_receipt_parse(package.getvalue(), process_id=process_id).process_id == process_id
    assert message_identify(package.getvalue()).code == "0504"


def test_a_refused_import_is_reported_with_its_reason():
    process_id, taken, failed = uuid4(), uuid4(), uuid4()
    imported = import_confirmation_build(
        process_id=process_id,
        sender=ARCHIVE,
        receiver=AUTHORITY,
        taken_over=[taken],
        refused={failed: "Primärdokument fehlt"},
    )

    confirmation = import_confirmation_parse(imported.content, process_id=process_id)

    assert confirmation.taken_over == {taken}
    assert confirmation.refused == {failed}
    assert confirmation.results[1].errors == ("Primärdokument fehlt",)


def test_a_receipt_of_another_process_is_refused():
    ours, theirs = uuid4(), uuid4()
    receipt = offer_receipt_build(process_id=theirs, sender=ARCHIVE, receiver=AUTHORITY)

    with pytest.raises(XdomeaProcessMismatch) as error:
        offer_receipt_parse(receipt.content, process_id=ours)
    assert error.value.message == (
        f"Die Empfangsbestätigung (0504) gehört zum Aussonderungsprozess {theirs}, "
        f"nicht zum erwarteten Prozess {ours}; sie wird nicht übernommen."
    )


def test_an_appraisal_of_another_process_or_of_unknown_files_is_refused():
    process_id, offered, stranger = uuid4(), uuid4(), uuid4()
    other = appraisal_build(
        process_id=uuid4(),
        sender=ARCHIVE,
        receiver=AUTHORITY,
        decisions={offered: Appraisal.ARCHIVE},
    )
    with pytest.raises(XdomeaProcessMismatch):
        appraisal_parse(other.content, process_id=process_id)

    unknown = appraisal_build(
        process_id=process_id,
        sender=ARCHIVE,
        receiver=AUTHORITY,
        decisions={offered: Appraisal.ARCHIVE, stranger: Appraisal.DESTROY},
    )
    with pytest.raises(XdomeaMessageError) as error:
        appraisal_parse(unknown.content, process_id=process_id, file_ids=[offered])
    assert error.value.message == (
        "Die Nachricht ist keine xdomea-0502-Bewertungsverzeichnis: "
        f"das Objekt {stranger} gehört nicht zu diesem Prozess."
    )


def test_an_appraisal_without_a_decision_is_refused():
    process_id, file_id = uuid4(), uuid4()
    undecided = appraisal_build(
        process_id=process_id,
        sender=ARCHIVE,
        receiver=AUTHORITY,
        decisions={file_id: Appraisal.EXAMINE},
    )

    with pytest.raises(XdomeaMessageError) as error:
        appraisal_parse(undecided.content, process_id=process_id)
    assert "keine Entscheidung „archivwürdig“ (A) oder „vernichten“ (V)" in error.value.message


def test_another_message_is_not_taken_for_a_receipt():
    process_id = uuid4()
    appraisal = appraisal_build(
        process_id=process_id,
        sender=ARCHIVE,
        receiver=AUTHORITY,
        decisions={uuid4(): Appraisal.ARCHIVE},
    )

    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(appraisal.content, process_id=process_id)
    assert error.value.message == (
        "Die Nachricht ist keine xdomea-0504-Empfangsbestätigung, "
        "sondern Aussonderung.Bewertungsverzeichnis.0502."
    )


def _receipt_text(process_id: UUID, *, namespace: str = NS, type_code: str = "0504") -> str:
    return (
        f'<xdomea:Aussonderung.AnbietungEmpfangBestaetigen.0504 xmlns:xdomea="{namespace}">'
        f"<xdomea:Kopf><xdomea:ProzessID>{process_id}</xdomea:ProzessID>"
        f"<xdomea:Nachrichtentyp><code>{type_code}</code></xdomea:Nachrichtentyp>"
        "<xdomea:Erstellungszeitpunkt>2026-01-05T10:00:00Z</xdomea:Erstellungszeitpunkt>"
        "<xdomea:Absender><xdomea:Institution><xdomea:Name>&archiv;</xdomea:Name>"
        "</xdomea:Institution></xdomea:Absender><xdomea:Empfaenger/></xdomea:Kopf>"
        "</xdomea:Aussonderung.AnbietungEmpfangBestaetigen.0504>"
    )


HOSTILE = {
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE k [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY archiv "&b;&b;&b;&b;&b;&b;">]>'
    ),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE k [<!ENTITY archiv SYSTEM "file:///etc/passwd">]>'
    ),
    "network entity": (
        '<?xml version="1.0"?><!DOCTYPE k [<!ENTITY archiv SYSTEM "http://127.0.0.1:9/x">]>'
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_xml_is_refused(kind):
    process_id = uuid4()
    data = (HOSTILE[kind] + _receipt_text(process_id)).encode()

    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(data, process_id=process_id)
    assert error.value.message == (
        "Die Nachricht ist keine xdomea-0504-Empfangsbestätigung: Zeile 1: "
        "XML mit DOCTYPE-Deklaration wird aus Sicherheitsgründen abgelehnt."
    )


def test_malformed_and_oversized_answers_are_refused():
    process_id = uuid4()
    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(b"<xdomea:Kopf", process_id=process_id)
    assert error.value.message.startswith(
        "Die Nachricht ist keine xdomea-0504-Empfangsbestätigung: Zeile 1: Die Datei ist kein "
        "wohlgeformtes XML"
    )

    huge = _receipt_text(process_id).replace("&archiv;", "A" * MAX_ANSWER_BYTES).encode()
    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(huge, process_id=process_id)
    assert error.value.message == (
        "Die Nachricht ist keine xdomea-0504-Empfangsbestätigung: die Datei ist größer als 20 MB."
    )


def test_a_zip_bomb_and_a_zip_with_two_messages_are_refused():
    process_id = uuid4()
    name = f"{process_id}_Aussonderung.AnbietungEmpfangBestaetigen.0504.xml"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            name, _receipt_text(process_id).replace("&archiv;", " " * MAX_ANSWER_BYTES)
        )
    assert len(bomb.getvalue()) < 100_000

    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(bomb.getvalue(), process_id=process_id)
    assert error.value.message.endswith("die Nachricht im ZIP-Paket ist zu groß.")

    twice = io.BytesIO()
    with zipfile.ZipFile(twice, "w") as package:
        package.writestr(name, b"<a/>")
        package.writestr("x/" + name, b"<a/>")
    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(twice.getvalue(), process_id=process_id)
    assert "nicht genau eine Nachricht" in error.value.message


def test_other_xdomea_versions_and_wrong_heads_are_refused():
    process_id = uuid4()
    older = _receipt_text(process_id, namespace="urn:xoev-de:xdomea:schema:2.4.0")
    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(older.replace("&archiv;", "A").encode(), process_id=process_id)
    assert error.value.message == (
        "Die Nachricht ist keine xdomea-0504-Empfangsbestätigung: sie ist in xdomea 2.4.0 "
        "geschrieben, erwartet wird xdomea 3.0.0."
    )

    mislabeled = _receipt_text(process_id, type_code="0506").replace("&archiv;", "A")
    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(mislabeled.encode(), process_id=process_id)
    assert "der Nachrichtentyp im Kopf ist 0506, nicht 0504" in error.value.message

    no_uuid = _receipt_text(process_id).replace(str(process_id), "{" + str(process_id) + "}")
    with pytest.raises(XdomeaMessageError) as error:
        offer_receipt_parse(no_uuid.replace("&archiv;", "A").encode(), process_id=process_id)
    assert "ist keine UUID" in error.value.message


def test_anything_else_is_not_identified_as_a_message():
    with pytest.raises(XdomeaMessageError) as error:
        message_identify(b"<rechnung/>")
    assert error.value.message == (
        "Die Datei ist keine xdomea-3.0.0-Nachricht der Aussonderung: "
        "das Wurzelelement ist kein xdomea."
    )


# --- schema -----------------------------------------------------------------------


def test_schema_errors_are_reported_in_german_with_their_line(xdomea_schema):
    receipt = offer_receipt_build(process_id=uuid4(), sender=ARCHIVE, receiver=AUTHORITY)
    broken = re.sub(rb"<xdomea:ProzessID>[^<]*</xdomea:ProzessID>", b"", receipt.content)

    assert message_validate(broken) == [
        "Zeile 5: Element Nachrichtentyp ist hier nicht zulässig; erwartet wird ProzessID."
    ]
    (unreadable,) = message_validate(b"<xdomea:x")
    assert unreadable.startswith("Zeile 1: Die Datei ist kein wohlgeformtes XML: ")


def test_a_missing_schema_is_named(settings, tmp_path):
    settings.XDOMEA_SCHEMA_DIR = tmp_path

    with pytest.raises(XdomeaSchemaUnavailable) as error:
        message_validate(b"<a/>")
    assert str(tmp_path / "xdomea_3.0.0" / "xdomea.xsd") in error.value.message


# --- any text ---------------------------------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60
).filter(lambda value: xml_text(value).strip() != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_TEXT, document_title=_TEXT, file_name=_TEXT, author=_TEXT)
def test_any_title_round_trips_through_valid_messages(
    xdomea_schema, title, document_title, file_name, author
):
    data = f"{title}|{file_name}".encode()
    document = ArchiveDocument(
        id=uuid4(),
        title=document_title,
        document_type="Vermerk",
        date=date(2024, 2, 29),
        author=author,
        version="1",
        file_name=file_name,
        mime_type="application/octet-stream",
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )
    archive_file = ArchiveFile(
        id=uuid4(),
        file_number=f"00.00-{title}",
        title=title,
        filing_plan_entry=FilingPlanEntry("00.00", title),
        opened_on=date(2024, 1, 1),
        closed_on=date(2024, 2, 29),
        retention_until=date(2030, 12, 31),
        appraisal=Appraisal.ARCHIVE,
        documents=(document,),
    )
    sender = Organisation(name=author, code="16")

    offer = offer_build(files=[archive_file], sender=sender, receiver=ARCHIVE)
    transfer = transfer_build(
        files=[archive_file], sender=sender, receiver=ARCHIVE, process_id=offer.process_id
    )

    contents = transfer_contents(transfer.content)
    assert message_validate(offer.content) == []
    assert message_validate(contents.message) == []
    for content in (offer.content, contents.message):
        root = _root(content)
        assert root.findtext("x:Kopf/x:ProzessID", namespaces=X) == str(offer.process_id)
        assert root.findtext(".//x:Akte/x:AllgemeineMetadaten/x:Betreff", namespaces=X) == (
            xml_text(title)
        )
        assert root.findtext(".//x:Dokument/x:AllgemeineMetadaten/x:Betreff", namespaces=X) == (
            xml_text(document_title)
        )
        assert root.findtext("x:Kopf/x:Absender/x:Institution/x:Name", namespaces=X) == (
            xml_text(author)
        )
    name = package_file_name(document)
    assert re.fullmatch(rf"{document.id}_[A-Za-z0-9._-]+", name)
    assert contents.digests == {name: document.sha256} == contents.checksums
