import re
import socket
import socketserver
import struct
import threading

import pytest
from django.test import override_settings

from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.errors import InvalidInput
from openamt.core.scanning.base import ScannerUnavailable
from openamt.core.scanning.registry import scan
from openamt.mailbox.documents import document_store
from openamt.mailbox.models import Document
from openamt.testing.documents import sample_pdf


class FakeClamd(socketserver.BaseRequestHandler):
    """Speaks clamd's INSTREAM protocol: length-prefixed chunks, then a verdict line."""

    def handle(self) -> None:
        stream = self.request.makefile("rb")
        assert stream.readline() == b"nINSTREAM\n"
        data = b""
        while True:
            (size,) = struct.unpack("!L", stream.read(4))
            if not size:
                break
            data += stream.read(size)
        verdict = b"stream: Eicar-Test-Signature FOUND\n" if EICAR in data else b"stream: OK\n"
        self.request.sendall(verdict)


@pytest.fixture
def clamd():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_test_scanner_knows_eicar():
    assert scan(b"prefix " + EICAR + b" suffix") == "Eicar-Test-Signature"
    assert scan(sample_pdf()) is None


def test_the_clamav_plugin_speaks_to_clamd(clamd):
    with override_settings(
        OPENAMT_VIRUS_SCANNER="clamav", OPENAMT_VIRUS_SCANNER_OPTIONS={"address": clamd}
    ):
        assert scan(EICAR) == "Eicar-Test-Signature"
        assert scan(sample_pdf()) is None


def test_without_clamd_nothing_is_accepted_unchecked():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        override_settings(
            OPENAMT_VIRUS_SCANNER="clamav",
            OPENAMT_VIRUS_SCANNER_OPTIONS={"address": f"127.0.0.1:{port}"},
        ),
        pytest.raises(ScannerUnavailable, match="konnte nicht auf Schadsoftware geprüft werden"),
    ):
        scan(sample_pdf())


def test_an_infected_upload_is_refused_and_nothing_stored(db):
    with pytest.raises(
        InvalidInput, match=re.escape("„eicar.pdf“ enthält Schadsoftware (Eicar-Test-Signature)")
    ):
        document_store(data=EICAR, name="eicar.pdf")
    assert not Document.objects.exists()


def test_a_misconfigured_scanner_is_the_operators_error_named_by_its_setting():
    from django.core.checks import run_checks
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(
        OPENAMT_VIRUS_SCANNER="clamav", OPENAMT_VIRUS_SCANNER_OPTIONS={"address": "clamd"}
    ):
        with pytest.raises(ImproperlyConfigured, match="„Host:Port“"):
            scan(sample_pdf())
        assert [(e.id, e.msg) for e in run_checks() if e.id == "openamt.E001"] == [
            (
                "openamt.E001",
                "OPENAMT_VIRUS_SCANNER(_OPTIONS): Die clamd-Adresse ist „Host:Port“ "
                "(127.0.0.1:3310) oder der Pfad eines Unix-Sockets.",
            )
        ]
    with (
        override_settings(
            OPENAMT_VIRUS_SCANNER="eicar-test", OPENAMT_VIRUS_SCANNER_OPTIONS={"x": 1}
        ),
        pytest.raises(ImproperlyConfigured, match="„x“ gibt es hier nicht"),
    ):
        scan(sample_pdf())
    assert not [e for e in run_checks() if e.id == "openamt.E001"]
