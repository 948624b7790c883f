"""The authorities' seals: a decision rendered as PDF/A, sealed in the
authority's name (development CA or the authority's own seal) and checked
with pyHanko's validator."""

from __future__ import annotations

import datetime
import io
import stat

import pikepdf
import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.core.models import AuditEntry
from openamt.core.signers import dev_ca
from openamt.organisations.models import AuthoritySeal
from openamt.organisations.seals import (
    SealNotConfigured,
    seal_pdf,
    seal_save,
    seal_store,
    seal_validate,
)
from openamt.testing.seals import sample_decision, seal_credential

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
REASON = "Bescheid 2026-000001"


def _pdfa_declared(pdf: bytes) -> tuple[str, str]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        return metadata[f"{PDFAID}part"], metadata[f"{PDFAID}conformance"]


@pytest.fixture
def trusted_test_root(settings, tmp_path):
    """The tests' own CA as the configured trust root (OPENAMT_SEAL_TRUST_ROOTS)."""
    from openamt.testing.seals import root_credential

    path = tmp_path / "roots.pem"
    path.write_text(root_credential().chain_pem)
    settings.OPENAMT_SEAL_TRUST_ROOTS = [str(path)]
    return path


def test_a_decision_sealed_with_the_development_seal_validates(erfurt):
    pdf = sample_decision()
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    sealed = seal_pdf(authority=erfurt, pdf=pdf, reason=REASON)
    after = datetime.datetime.now(datetime.UTC)

    result = seal_validate(pdf=sealed)
    assert (result.intact, result.valid, result.trusted, result.whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert result.problems == ()
    assert result.signer_name == "Stadtverwaltung Erfurt"
    assert result.signing_time is not None
    assert before <= result.signing_time <= after
    assert sealed.startswith(pdf)
    assert _pdfa_declared(sealed) == ("2", "B")
    (signature,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert signature.sig_object["/Reason"] == REASON
    assert signature.sig_object["/Name"] == "Stadtverwaltung Erfurt"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # Each authority seals with a certificate in its own name.
    chain = signature.signer_cert.issuer.native["common_name"]
    assert chain == "Entwicklungs-CA (nicht für den Echtbetrieb)"


def test_one_changed_byte_breaks_the_seal(erfurt):
    sealed = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    # A byte inside the first content stream: the file still parses, the hash differs.
    position = sealed.index(b"stream\n") + 20
    tampered = sealed[:position] + bytes([sealed[position] ^ 0x01]) + sealed[position + 1 :]

    result = seal_validate(pdf=tampered)
    # The signature over the signed attributes still holds; the document's hash does
    # not, and pyHanko then judges no trust.
    assert (result.intact, result.valid, result.trusted) == (False, True, False)
    assert result.problems == ("Das Dokument wurde nach dem Siegeln verändert.",)
    assert not result.ok


def test_anything_appended_after_the_seal_is_reported(erfurt):
    sealed = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)

    result = seal_validate(pdf=output.getvalue())
    assert (result.intact, result.valid, result.trusted) == (True, True, True)
    assert result.whole_document is False
    assert result.problems == ("Nach dem Siegel wurde dem Dokument etwas angefügt.",)


def test_in_production_an_authority_without_a_seal_cannot_seal(erfurt, settings, tmp_path):
    settings.OPENAMT_DEVELOPMENT = False
    settings.OPENAMT_DEV_CA_DIR = tmp_path / "dev-ca"
    with pytest.raises(SealNotConfigured) as error:
        seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    assert error.value.message == "Für diese Behörde ist kein Siegel eingerichtet."
    assert not (tmp_path / "dev-ca").exists()


def test_in_production_the_development_ca_is_not_trusted(erfurt, settings, tmp_path):
    sealed = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    settings.OPENAMT_DEVELOPMENT = False
    settings.OPENAMT_DEV_CA_DIR = tmp_path / "dev-ca"
    result = seal_validate(pdf=sealed)
    assert (result.intact, result.valid, result.trusted) == (True, True, False)
    assert result.problems == ("Das Siegelzertifikat stammt von keiner vertrauenswürdigen Stelle.",)
    assert not (tmp_path / "dev-ca").exists()


def test_in_development_the_ca_is_made_on_first_use_and_kept(
    erfurt, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(dev_ca, "KEY_BITS_ON_DISK", 2048)  # fast; the size is not under test
    settings.OPENAMT_DEVELOPMENT = True
    settings.OPENAMT_DEV_CA_DIR = tmp_path / "dev-ca"
    first = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    files = sorted(p.name for p in (tmp_path / "dev-ca").iterdir())
    assert files == [f"authority-{erfurt.pk}.pem", "ca.pem"]
    for path in (tmp_path / "dev-ca").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ca_text = (tmp_path / "dev-ca" / "ca.pem").read_text()

    second = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    certificates = [
        PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_cert.dump()
        for pdf in (first, second)
    ]
    assert certificates[0] == certificates[1]
    assert seal_validate(pdf=second).ok

    # A new name gets a new certificate from the same CA.
    erfurt.name = "Landeshauptstadt Erfurt"
    renamed = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    result = seal_validate(pdf=renamed)
    assert result.ok
    assert result.signer_name == "Landeshauptstadt Erfurt"
    assert (tmp_path / "dev-ca" / "ca.pem").read_text() == ca_text


def test_an_authority_seals_with_its_own_certificate(
    erfurt, erfurt_admin, trusted_test_root, settings, tmp_path
):
    credential = seal_credential("Stadtverwaltung Erfurt – Siegel")
    seal = seal_save(
        actor=erfurt_admin,
        authority=erfurt,
        plugin="pyhanko-seal",
        values={
            "certificate_chain": credential.chain_pem,
            "private_key": credential.key_pem(),
            "timestamp_url": "",
        },
    )
    assert seal.options == {"certificate_chain": credential.chain_pem, "timestamp_url": None}
    assert seal.secret_values() == {"private_key": credential.key_pem(), "key_passphrase": ""}
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM organisations_authorityseal WHERE id = %s", [seal.pk])
        (stored,) = cursor.fetchone()
    assert stored
    assert "PRIVATE KEY" not in stored  # sealed at rest: the raw column holds no key
    entry = AuditEntry.objects.get(action="authority_seal.save", object_id=str(seal.pk))
    assert entry.actor_id == erfurt_admin.pk
    assert entry.changes == {"plugin": "pyhanko-seal", "options": seal.options}

    # In production, with the seal configured, nothing of the development CA is used.
    settings.OPENAMT_DEVELOPMENT = False
    settings.OPENAMT_DEV_CA_DIR = tmp_path / "dev-ca"
    sealed = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    result = seal_validate(pdf=sealed)
    assert result.ok
    assert not (tmp_path / "dev-ca").exists()
    assert result.signer_name == "Stadtverwaltung Erfurt – Siegel"
    assert _pdfa_declared(sealed) == ("2", "B")


def test_an_empty_secret_keeps_the_stored_one(erfurt):
    credential = seal_credential("Stadtverwaltung Erfurt")
    values = {"certificate_chain": credential.chain_pem, "private_key": credential.key_pem()}
    seal_store(authority=erfurt, plugin="pyhanko-seal", values=values)
    seal = seal_store(
        authority=erfurt,
        plugin="pyhanko-seal",
        values={"certificate_chain": credential.chain_pem, "private_key": ""},
    )
    assert seal.secret_values()["private_key"] == credential.key_pem()
    assert AuthoritySeal.objects.filter(authority=erfurt).count() == 1


def test_only_the_authoritys_admins_set_up_its_seal(erfurt, erfurt_caseworker, lindenberg_admin):
    credential = seal_credential("Stadtverwaltung Erfurt")
    values = {"certificate_chain": credential.chain_pem, "private_key": credential.key_pem()}
    for actor in (erfurt_caseworker, lindenberg_admin):
        with pytest.raises(PermissionDenied):
            seal_save(actor=actor, authority=erfurt, plugin="pyhanko-seal", values=values)
    assert not AuthoritySeal.objects.exists()
    assert not AuditEntry.objects.filter(action="authority_seal.save").exists()


def test_invalid_seal_options_save_nothing(erfurt, erfurt_admin):
    with pytest.raises(InvalidInput) as error:
        seal_save(
            actor=erfurt_admin,
            authority=erfurt,
            plugin="pyhanko-seal",
            values={"certificate_chain": "-----BEGIN CERTIFICATE-----\nkaputt", "private_key": "x"},
        )
    assert (error.value.field, error.value.message) == (
        "certificate_chain",
        "Zertifikatskette: Es ist kein Zertifikat im PEM-Format („-----BEGIN CERTIFICATE-----“).",
    )
    with pytest.raises(InvalidInput) as error:
        seal_save(actor=erfurt_admin, authority=erfurt, plugin="unbekannt", values={})
    assert (error.value.field, error.value.message) == (
        "plugin",
        "Diesen Siegeldienst gibt es nicht.",
    )
    assert not AuthoritySeal.objects.exists()
    assert not AuditEntry.objects.filter(action="authority_seal.save").exists()


def test_a_missing_trust_root_file_is_the_operators_error(settings, tmp_path):
    settings.OPENAMT_SEAL_TRUST_ROOTS = [str(tmp_path / "fehlt.pem")]
    message = f"OPENAMT_SEAL_TRUST_ROOTS: {tmp_path / 'fehlt.pem'}: No such file or directory"
    with pytest.raises(ImproperlyConfigured) as error:
        seal_validate(pdf=sample_decision())
    assert str(error.value) == message
    assert [(e.id, e.msg) for e in run_checks() if e.id == "openamt.E002"] == [
        ("openamt.E002", message)
    ]
    (tmp_path / "fehlt.pem").write_text("kein Zertifikat")
    assert [e.msg for e in run_checks() if e.id == "openamt.E002"] == [
        f"OPENAMT_SEAL_TRUST_ROOTS: {tmp_path / 'fehlt.pem'}: "
        "Es ist kein Zertifikat im PEM-Format („-----BEGIN CERTIFICATE-----“)."
    ]
    settings.OPENAMT_SEAL_TRUST_ROOTS = []
    assert not [e for e in run_checks() if e.id == "openamt.E002"]


@override_settings(OPENAMT_SEAL_TRUST_ROOTS=[])
def test_an_unsealed_decision_has_no_seal():
    result = seal_validate(pdf=sample_decision())
    assert result.problems == ("Das Dokument trägt kein Siegel.",)
    assert (result.intact, result.trusted, result.signer_name) == (False, False, "")


def test_the_operator_sets_a_seal_and_checks_documents_on_the_command_line(
    erfurt, trusted_test_root, tmp_path
):
    credential = seal_credential("Stadtverwaltung Erfurt")
    (tmp_path / "kette.pem").write_text(credential.chain_pem)
    (tmp_path / "schluessel.pem").write_text(credential.key_pem("passwort"))
    output = io.StringIO()
    call_command(
        "seal",
        "set",
        str(erfurt.pk),
        "pyhanko-seal",
        "--option",
        f"certificate_chain=@{tmp_path / 'kette.pem'}",
        "--option",
        f"private_key=@{tmp_path / 'schluessel.pem'}",
        "--option",
        "key_passphrase=passwort",
        stdout=output,
    )
    assert (
        output.getvalue() == "Siegel von Stadtverwaltung Erfurt: Siegel mit eigenem Zertifikat.\n"
    )
    entry = AuditEntry.objects.get(action="authority_seal.save")
    assert (entry.actor_id, entry.authority_id) == (None, erfurt.pk)

    sealed = seal_pdf(authority=erfurt, pdf=sample_decision(), reason=REASON)
    (tmp_path / "bescheid.pdf").write_bytes(sealed)
    output = io.StringIO()
    call_command("seal", "check", str(tmp_path / "bescheid.pdf"), stdout=output)
    assert output.getvalue().startswith("Siegel gültig: Stadtverwaltung Erfurt, gesiegelt 20")

    (tmp_path / "ungesiegelt.pdf").write_bytes(sample_decision())
    with pytest.raises(CommandError) as error:
        call_command("seal", "check", str(tmp_path / "ungesiegelt.pdf"))
    assert str(error.value) == "Siegel NICHT gültig: Das Dokument trägt kein Siegel."

    with pytest.raises(CommandError) as error:
        call_command("seal", "set", str(erfurt.pk), "pyhanko-seal", "--option", "private_key=x")
    assert str(error.value) == "Bitte geben Sie „Zertifikatskette (PEM)“ an."
    assert AuditEntry.objects.filter(action="authority_seal.save").count() == 1
