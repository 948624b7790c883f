import re
import socket
import socketserver
import struct
import threading

import pytest
from django.test import override_settings

from openamt.core.errors import InvalidInput
from openamt.core.scanning import EICAR, ScannerUnavailable, scan
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
    with override_settings(OPENAMT_VIRUS_SCANNER="clamav", OPENAMT_CLAMAV_ADDRESS=clamd):
        assert scan(EICAR) == "Eicar-Test-Signature"
        assert scan(sample_pdf()) is None


def test_without_clamd_nothing_is_accepted_unchecked():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        override_settings(
            OPENAMT_VIRUS_SCANNER="clamav", OPENAMT_CLAMAV_ADDRESS=f"127.0.0.1:{port}"
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
