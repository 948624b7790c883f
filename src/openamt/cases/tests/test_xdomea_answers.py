"""The archive's answers in an Aussonderung are read only when they are what
they claim, for the process they claim; hostile input is refused unread."""

import io
import zipfile
from uuid import UUID, uuid4

import pytest

from openamt.cases.tests.xdomea_samples import (
    ARCHIVE,
    AUTHORITY,
    sample_files,
)
from openamt.cases.xdomea.build import (
    offer_build,
)
from openamt.cases.xdomea.common import (
    NS,
    XdomeaMessageError,
    XdomeaProcessMismatch,
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
)
from openamt.cases.xdomea.records import (
    Appraisal,
)
from openamt.cases.xdomea.testing import (
    appraisal_build,
    import_confirmation_build,
    offer_receipt_build,
    transfer_receipt_build,
)


def test_any_answer_is_read_by_the_parser_of_its_type():
    process_id, file_id = uuid4(), uuid4()
    head = {"process_id": process_id, "sender": ARCHIVE, "receiver": AUTHORITY}
    answers = [
        offer_receipt_build(**head),
        appraisal_build(**head, decisions={file_id: Appraisal.ARCHIVE}, receipt_wanted=True),
        transfer_receipt_build(**head),
        import_confirmation_build(**head, taken_over=[file_id]),
    ]

    read = [answer_parse(a.content, process_id=process_id, file_ids=[file_id]) for a in answers]

    assert [type(r) for r in read] == [Receipt, AppraisalResult, Receipt, ImportConfirmation]
    assert [getattr(r, "code", None) for r in read] == ["0504", None, "0507", None]
    assert isinstance(read[1], AppraisalResult)
    assert read[1].receipt_wanted is True
    own = offer_build(
        files=sample_files(), sender=AUTHORITY, receiver=ARCHIVE, process_id=process_id
    )
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
