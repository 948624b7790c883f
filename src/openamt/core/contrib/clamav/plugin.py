"""ClamAV: asks a clamd daemon over TCP (host:port) or a Unix socket (a path)
with its INSTREAM command, through clamav-client."""

from __future__ import annotations

import io

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from pydantic import BaseModel, ConfigDict, Field, field_validator

from openamt.core.scanning.base import ScannerUnavailable
from openamt.core.scanning.registry import virus_scanners


class ClamavOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str = Field("127.0.0.1:3310", title="clamd-Adresse")
    timeout: int = Field(30, title="Zeitlimit in Sekunden", gt=0, le=300)

    @field_validator("address")
    @classmethod
    def _host_port_or_socket(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not value.startswith("/") and not (host and port.isdigit()):
            raise ValueError(
                "Die clamd-Adresse ist „Host:Port“ (127.0.0.1:3310) oder der Pfad eines Unix-Sockets."
            )
        return value


@virus_scanners.register("clamav")
class Clamav:
    label = "ClamAV (clamd)"
    Options = ClamavOptions
    secret_options: frozenset[str] = frozenset()
    for_testing_only = False

    def scan(self, data: bytes, options: ClamavOptions) -> str | None:
        """The signature clamd found in `data`, or None; ScannerUnavailable when
        clamd cannot be reached or fails."""
        address = options.address
        host, _, port = address.rpartition(":")
        client = (
            ClamdUnixSocket(path=address, timeout=options.timeout)
            if address.startswith("/")
            else ClamdNetworkSocket(host=host, port=int(port), timeout=options.timeout)
        )
        try:
            result = client.instream(io.BytesIO(data))
        except (ClamdError, OSError) as error:
            raise ScannerUnavailable(
                "Die Datei konnte nicht auf Schadsoftware geprüft werden. Bitte versuchen Sie es später erneut."
            ) from error
        status, found = next(iter(result.values()), ("OK", None))
        return str(found) if status == "FOUND" else None
