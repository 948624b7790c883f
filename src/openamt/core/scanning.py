"""Virus scanning of uploads: one contract, plugins by id (GUIDE §2).

`clamav` asks a clamd daemon (TCP or Unix socket) through clamav-client;
`eicar-test` knows only the EICAR test signature and exists for development
and tests, where no clamd runs. Production settings refuse the latter.
"""

from __future__ import annotations

import io
from typing import Protocol

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings

from openamt.core.errors import DomainError
from openamt.core.registry import Registry

# The EICAR anti-virus test file (eicar.org), split so that no scanner flags this source.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class ScannerUnavailable(DomainError):
    code = "scanner_unavailable"
    status = 503
    title = "Die Virenprüfung ist gerade nicht erreichbar."


class Scanner(Protocol):
    def scan(self, data: bytes) -> str | None:
        """The name of what was found, or None for a clean file."""
        ...


virus_scanners: Registry[Scanner] = Registry("Virenscanner")


@virus_scanners.register("eicar-test")
class EicarTestScanner:
    def scan(self, data: bytes) -> str | None:
        return "Eicar-Test-Signature" if EICAR in data else None


@virus_scanners.register("clamav")
class ClamavScanner:
    def scan(self, data: bytes) -> str | None:
        address = settings.OPENAMT_CLAMAV_ADDRESS
        client = (
            ClamdUnixSocket(path=address, timeout=30)
            if address.startswith("/")
            else ClamdNetworkSocket(
                host=address.rsplit(":", 1)[0], port=int(address.rsplit(":", 1)[1]), timeout=30
            )
        )
        try:
            result = client.instream(io.BytesIO(data))
        except (ClamdError, OSError) as error:
            raise ScannerUnavailable(
                "Die Datei konnte nicht auf Schadsoftware geprüft werden. Bitte versuchen Sie es später erneut."
            ) from error
        status, found = next(iter(result.values()), ("OK", None))
        return str(found) if status == "FOUND" else None


def scan(data: bytes) -> str | None:
    return virus_scanners.get(settings.OPENAMT_VIRUS_SCANNER).scan(data)
