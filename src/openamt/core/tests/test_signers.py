"""Signer plugins: the registry, the seal with the authority's own key
(pyhanko-seal) and the remote seal through the CSC API v2 (csc-seal) against a
small CSC service on 127.0.0.1, each checked with pyHanko's validator."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pikepdf
import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from openamt.core.errors import InvalidInput
from openamt.core.signers.base import SigningError
from openamt.core.signers.pades import certificates_from_pem, pades_validate
from openamt.core.signers.registry import pdf_sign, signers
from openamt.testing.seals import (
    Credential,
    root_credential,
    sample_decision,
    seal_credential,
    tsa_credential,
)

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
NAME = "Stadtverwaltung Erfurt"


def _roots() -> list:
    return certificates_from_pem(root_credential().chain_pem)


def _own_key_options(credential: Credential, passphrase: str = "") -> dict[str, Any]:
    return {
        "certificate_chain": credential.chain_pem,
        "private_key": credential.key_pem(passphrase),
        "key_passphrase": passphrase,
    }


def test_both_signers_are_registered_with_their_secrets():
    assert signers.choices() == [
        ("csc-seal", "Fernsiegel (CSC-Schnittstelle)"),
        ("pyhanko-seal", "Siegel mit eigenem Zertifikat"),
    ]
    assert signers.get("pyhanko-seal").secret_options == {"private_key", "key_passphrase"}
    assert signers.get("csc-seal").secret_options == {"client_secret"}


@pytest.mark.parametrize("passphrase", ["", "geheimes-passwort"])
def test_own_key_seal_validates_over_the_whole_pdfa_document(passphrase):
    pdf = sample_decision()
    sealed = pdf_sign(
        plugin_id="pyhanko-seal",
        data=_own_key_options(seal_credential(NAME), passphrase),
        pdf=pdf,
        reason="Bescheid 2026-000001",
        location="Erfurt",
        name=NAME,
    )
    assert sealed.startswith(pdf)  # an incremental update: the rendered bytes stay
    result = pades_validate(sealed, trust_roots=_roots())
    assert (result.intact, result.valid, result.trusted, result.whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert result.problems == ()
    assert result.signer_name == NAME
    assert result.signing_time is not None
    (signature,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    assert signature.field_name == "Siegel"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Bescheid 2026-000001"
    assert signature.sig_object["/Location"] == "Erfurt"
    assert signature.sig_object["/Name"] == NAME
    with pikepdf.open(io.BytesIO(sealed)) as document:
        metadata = document.open_metadata()
        assert (metadata[f"{PDFAID}part"], metadata[f"{PDFAID}conformance"]) == ("2", "B")
        # PDF/A wants the Info dictionary and the XMP metadata to agree.
        assert str(document.docinfo["/Producer"]) == metadata["pdf:Producer"]
        assert str(document.docinfo["/Title"]) == metadata["dc:title"]
        assert "/OutputIntents" in document.Root


def test_a_second_seal_gets_a_field_of_its_own_and_covers_the_first():
    data = _own_key_options(seal_credential(NAME))
    once = pdf_sign(
        plugin_id="pyhanko-seal",
        data=data,
        pdf=sample_decision(),
        reason="a",
        location="",
        name=NAME,
    )
    twice = pdf_sign(
        plugin_id="pyhanko-seal", data=data, pdf=once, reason="b", location="", name=NAME
    )
    names = [s.field_name for s in PdfFileReader(io.BytesIO(twice)).embedded_signatures]
    assert names == ["Siegel", "Siegel-2"]
    assert twice.startswith(once)
    assert pades_validate(twice, trust_roots=_roots()).ok


def test_a_seal_from_an_untrusted_ca_is_intact_but_not_trusted():
    sealed = pdf_sign(
        plugin_id="pyhanko-seal",
        data=_own_key_options(seal_credential(NAME)),
        pdf=sample_decision(),
        reason="x",
        location="",
        name=NAME,
    )
    result = pades_validate(sealed, trust_roots=[])
    assert (result.intact, result.valid, result.trusted) == (True, True, False)
    assert result.problems == ("Das Siegelzertifikat stammt von keiner vertrauenswürdigen Stelle.",)


def test_an_unsealed_or_broken_document_is_reported_not_raised():
    assert pades_validate(sample_decision(), trust_roots=_roots()).problems == (
        "Das Dokument trägt kein Siegel.",
    )
    assert pades_validate(b"kein PDF", trust_roots=_roots()).problems == (
        "Das Dokument ist beschädigt und lässt sich nicht prüfen.",
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"certificate_chain": "kein Zertifikat"},
            "certificate_chain",
            "Zertifikatskette: Es ist kein Zertifikat im PEM-Format („-----BEGIN CERTIFICATE-----“).",
        ),
        (
            {"private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"},
            "private_key",
            "Der private Schlüssel lässt sich nicht lesen (PEM erwartet; stimmt das Passwort?).",
        ),
        (
            {"private_key": seal_credential("Andere Behörde").key_pem()},
            "private_key",
            "Der private Schlüssel gehört nicht zum ersten Zertifikat der Zertifikatskette.",
        ),
        (
            {"private_key": seal_credential(NAME).key_pem("passwort")},
            "private_key",
            "Der private Schlüssel ist mit einem Passwort geschützt: bitte das Passwort angeben.",
        ),
        (
            {"key_passphrase": "passwort"},
            "private_key",
            "Der private Schlüssel ist nicht geschützt: bitte kein Passwort angeben.",
        ),
        (
            {"timestamp_url": "kein-link"},
            "timestamp_url",
            "„Zeitstempeldienst“ ist keine gültige Adresse.",
        ),
        ({"unbekannt": "1"}, "unbekannt", "„unbekannt“ gibt es hier nicht."),
    ],
)
def test_own_key_options_are_refused_in_german(change, field, message):
    data = {**_own_key_options(seal_credential(NAME)), **change}
    with pytest.raises(InvalidInput) as error:
        signers.options_validate("pyhanko-seal", data)
    assert (error.value.field, error.value.message) == (field, message)


def test_signing_with_invalid_options_is_a_signing_error_and_issues_nothing():
    with pytest.raises(SigningError) as error:
        pdf_sign(
            plugin_id="pyhanko-seal",
            data={"certificate_chain": seal_credential(NAME).chain_pem},
            pdf=sample_decision(),
            reason="x",
            location="",
            name=NAME,
        )
    assert error.value.message == (
        "Das Siegel „Siegel mit eigenem Zertifikat“ ist nicht vollständig eingerichtet: "
        "Bitte geben Sie „Privater Schlüssel (PEM)“ an."
    )


@pytest.fixture
def tsa() -> Iterator[str]:
    """An RFC 3161 timestamp authority on 127.0.0.1 (pyHanko's test TSA behind HTTP)."""
    credential = tsa_credential()
    stamper = DummyTimeStamper(
        tsa_cert=certificates_from_pem(credential.chain_pem)[0],
        tsa_key=translate_pyca_cryptography_key_to_asn1(credential.key),
        certs_to_embed=SimpleCertificateStore.from_certs(
            certificates_from_pem(credential.chain_pem)
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            data = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()


def test_with_a_timestamp_authority_the_seal_is_pades_b_t(tsa):
    sealed = pdf_sign(
        plugin_id="pyhanko-seal",
        data={**_own_key_options(seal_credential(NAME)), "timestamp_url": tsa},
        pdf=sample_decision(),
        reason="x",
        location="",
        name=NAME,
    )
    result = pades_validate(sealed, trust_roots=_roots())
    assert result.ok
    (signature,) = PdfFileReader(io.BytesIO(sealed)).embedded_signatures
    # The signature timestamp (an unsigned attribute of the CMS) names the TSA.
    unsigned = signature.signer_info["unsigned_attrs"]
    assert [attribute["type"].native for attribute in unsigned] == ["signature_time_stamp_token"]
    token = unsigned[0]["values"][0]
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    assert result.signing_time == tst_info["gen_time"].native


# --- the remote seal (CSC API v2) -------------------------------------------------


@dataclass
class FakeCsc:
    """A CSC API v2 service on 127.0.0.1: client credentials login,
    credentials/info and signatures/signHash with a test key."""

    credential: Credential
    auth_mode: str = "implicit"
    wrong_signatures: bool = False
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str, body: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
        self.requests.append((path, body))
        if path == "/csc/v2/oauth2/token":
            if body != {
                "grant_type": "client_credentials",
                "client_id": "openamt",
                "client_secret": "csc-geheimnis",
            }:
                return 400, {"error": "invalid_client"}
            return 200, {"access_token": "token-1", "token_type": "Bearer", "expires_in": 3600}
        if token != "Bearer token-1":
            return 401, {"error": "invalid_token"}
        if body.get("credentialID") != "siegel-erfurt":
            return 400, {"error": "invalid_request"}
        if path == "/csc/v2/credentials/info":
            chain = [
                base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
                for c in [self.credential.certificate, root_credential().certificate]
            ]
            return 200, {
                "key": {"status": "enabled", "algo": ["1.2.840.113549.1.1.1"], "len": 2048},
                "cert": {"status": "valid", "certificates": chain},
                "authMode": self.auth_mode,
                "SCAL": "1",
                "multisign": 1,
            }
        if path == "/csc/v2/signatures/signHash":
            assert body["hashAlgorithmOID"] == "2.16.840.1.101.3.4.2.1"
            assert body["signAlgo"] == "1.2.840.113549.1.1.1"
            values = []
            for item in body["hashes"]:
                digest = base64.b64decode(item)
                if self.wrong_signatures:
                    digest = bytes(32)
                values.append(
                    self.credential.key.sign(
                        digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
                    )
                )
            return 200, {"signatures": [base64.b64encode(v).decode() for v in values]}
        return 404, {"error": "not_found"}


@pytest.fixture
def csc() -> Iterator[FakeCsc]:
    service = FakeCsc(seal_credential(NAME))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
            if self.headers["Content-Type"] == "application/json":
                body = json.loads(raw)
            else:
                body = {key: value[0] for key, value in parse_qs(raw).items()}
            status, answer = service.answer(self.path, body, self.headers.get("Authorization", ""))
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_address[1]}/csc/v2"
    yield service
    server.shutdown()
    server.server_close()


def _csc_options(csc: FakeCsc, **change: str) -> dict[str, str]:
    return {
        "base_url": csc.url,
        "credential_id": "siegel-erfurt",
        "client_id": "openamt",
        "client_secret": "csc-geheimnis",
        **change,
    }


def _csc_sign(csc: FakeCsc, pdf: bytes, **change: str) -> bytes:
    return pdf_sign(
        plugin_id="csc-seal",
        data=_csc_options(csc, **change),
        pdf=pdf,
        reason="Bescheid 2026-000001",
        location="Erfurt",
        name=NAME,
    )


def test_the_remote_seal_validates_and_only_the_hash_leaves_the_platform(csc):
    pdf = sample_decision()
    sealed = _csc_sign(csc, pdf)
    result = pades_validate(sealed, trust_roots=_roots())
    assert result.ok
    assert (result.intact, result.valid, result.trusted, result.whole_document) == (
        True,
        True,
        True,
        True,
    )
    assert result.signer_name == NAME
    assert [path for path, _ in csc.requests] == [
        "/csc/v2/oauth2/token",
        "/csc/v2/credentials/info",
        "/csc/v2/signatures/signHash",
    ]
    sign_request = csc.requests[-1][1]
    assert sign_request["credentialID"] == "siegel-erfurt"
    (digest,) = sign_request["hashes"]
    assert len(base64.b64decode(digest)) == 32
    # Nothing of the document went out: no request is longer than a hash needs.
    assert all(len(json.dumps(body)) < 500 for path, body in csc.requests if "info" not in path)
    with pikepdf.open(io.BytesIO(sealed)) as document:
        assert document.open_metadata()[f"{PDFAID}part"] == "2"


def test_a_wrong_client_secret_is_reported_with_the_services_answer(csc):
    with pytest.raises(SigningError) as error:
        _csc_sign(csc, sample_decision(), client_secret="falsch")
    host = csc.url.split("/")[2]
    assert error.value.message == f"Der Siegeldienst {host} antwortete 400 (invalid_client)."
    assert [path for path, _ in csc.requests] == ["/csc/v2/oauth2/token"]


def test_a_credential_that_needs_a_person_is_refused_before_any_hash_is_sent(csc):
    csc.auth_mode = "explicit"
    with pytest.raises(SigningError) as error:
        _csc_sign(csc, sample_decision())
    assert error.value.message == (
        "Das Siegel verlangt eine Freigabe je Signatur und kann nicht automatisch siegeln."
    )
    assert "/csc/v2/signatures/signHash" not in [path for path, _ in csc.requests]


def test_a_signature_that_does_not_fit_the_certificate_is_not_embedded(csc):
    csc.wrong_signatures = True
    with pytest.raises(SigningError) as error:
        _csc_sign(csc, sample_decision())
    assert (
        error.value.message == "Die Signatur des Siegeldienstes passt nicht zum Siegelzertifikat."
    )


def test_an_unreachable_service_is_a_signing_error():
    with pytest.raises(SigningError) as error:
        pdf_sign(
            plugin_id="csc-seal",
            data={
                "base_url": "http://127.0.0.1:9/csc/v2",
                "credential_id": "x",
                "client_id": "x",
                "client_secret": "x",
            },
            pdf=sample_decision(),
            reason="x",
            location="",
            name=NAME,
        )
    assert error.value.message == (
        "Der Siegeldienst 127.0.0.1:9 ist nicht erreichbar (ConnectionError)."
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"base_url": "http://siegel.example/csc/v2"},
            "base_url",
            "Die Adresse muss mit https:// beginnen.",
        ),
        (
            {"base_url": "siegel"},
            "base_url",
            "„Adresse der Siegel-Schnittstelle“ ist keine gültige Adresse.",
        ),
        ({"credential_id": ""}, "credential_id", "„Credential-ID“ hat mindestens 1 Zeichen."),
        ({"client_secret": ""}, "client_secret", "„Client-Secret“ hat mindestens 1 Zeichen."),
    ],
)
def test_remote_seal_options_are_refused_in_german(change, field, message):
    data = {
        "base_url": "https://siegel.example/csc/v2",
        "credential_id": "siegel-erfurt",
        "client_id": "openamt",
        "client_secret": "geheim",
        **change,
    }
    with pytest.raises(InvalidInput) as error:
        signers.options_validate("csc-seal", data)
    assert (error.value.field, error.value.message) == (field, message)
