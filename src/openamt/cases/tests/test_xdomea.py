"""The xdomea 3.0 Aussonderung: messages to the archive are schema-valid and
carry every document with its hash; the archive's answers are read only when
they are what they claim, for the process they claim."""

import hashlib
import io
import re
import zipfile
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openamt.cases.tests.xdomea_samples import (
    ARCHIVE,
    AUTHORITY,
    X,
    root_of,
    sample_files,
)
from openamt.cases.xdomea.build import (
    appraisal_receipt_build,
    offer_build,
    package_file_name,
    transfer_build,
    transfer_write,
)
from openamt.cases.xdomea.common import (
    NS,
    XdomeaError,
    XdomeaIntegrityError,
    xml_text,
)
from openamt.cases.xdomea.parse import (
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

# --- building -------------------------------------------------------------------


@pytest.fixture
def xdomea_schema():
    if not schema_available():
        pytest.skip(
            f"{schema_path()} fehlt: xdomea-3.0.0-Schema (OPENAMT_XDOMEA_SCHEMA_DIR) / "
            "xdomea 3.0.0 schema not installed"
        )


def test_offer_is_valid_xdomea_and_names_every_file_without_primary_documents(xdomea_schema):
    files = sample_files()
    offer = offer_build(
        files=files,
        sender=AUTHORITY,
        receiver=ARCHIVE,
        created_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )

    assert message_validate(offer.content) == []
    assert offer.code == "0501"
    assert offer.file_name == f"{offer.process_id}_Aussonderung.Anbieteverzeichnis.0501.xml"
    root = root_of(offer.content)
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
    files = sample_files()
    first = offer_build(files=files, sender=AUTHORITY, receiver=ARCHIVE)
    second = offer_build(files=files, sender=AUTHORITY, receiver=ARCHIVE)

    assert first.process_id != second.process_id


def test_transfer_package_is_valid_and_holds_every_document_with_its_hash(xdomea_schema):
    files = sample_files()
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
    root = root_of(contents.message)
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
    archive_file = sample_files()[0]
    archive_file = ArchiveFile(**{**archive_file.__dict__, "documents": (document,)})
    target = io.BytesIO()

    written = transfer_write(target, files=[archive_file], sender=AUTHORITY, receiver=ARCHIVE)

    assert len(opened) == 1
    assert opened[0].closed
    assert written.documents == {document.id: (package_file_name(document), document.sha256)}
    contents = transfer_contents(target.getvalue())
    assert contents.digests == {package_file_name(document): document.sha256}


def test_transfer_refuses_a_document_whose_bytes_no_longer_match_its_hash():
    archive_file = sample_files()[0]
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
    archive_file = sample_files()[0]
    with pytest.raises(XdomeaError):
        transfer_build(files=[archive_file, archive_file], sender=AUTHORITY, receiver=ARCHIVE)


def test_records_refuse_a_malformed_hash():
    with pytest.raises(ValueError, match="Ungültige SHA-256-Prüfsumme"):
        ArchiveDocument(**{**sample_files()[0].documents[0].__dict__, "sha256": "ABC"})


# --- the archive's answers --------------------------------------------------------


def test_process_round_trip_offer_appraisal_transfer_import(xdomea_schema):
    files = sample_files()
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
    assert decided.receipt_wanted is False
    answered = appraisal_receipt_build(
        process_id=offer.process_id, sender=AUTHORITY, receiver=ARCHIVE
    )
    assert message_validate(answered.content) == []
    assert answered.file_name == (
        f"{offer.process_id}_Aussonderung.BewertungEmpfangBestaetigen.0505.xml"
    )
    assert message_identify(answered.content).code == "0505"

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
        root = root_of(content)
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
