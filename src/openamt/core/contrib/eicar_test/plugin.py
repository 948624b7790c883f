"""TEST ONLY: a scanner that knows nothing but the EICAR test signature, for
development and tests where no clamd runs. Production refuses it."""

from __future__ import annotations

from openamt.core.registry import NoOptions
from openamt.core.scanning.registry import virus_scanners

# The EICAR anti-virus test file (eicar.org), split so that no scanner flags this source.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@virus_scanners.register("eicar-test")
class EicarTest:
    label = "EICAR-Testsignatur (nur Tests)"
    Options = NoOptions
    secret_options: frozenset[str] = frozenset()
    for_testing_only = True

    def scan(self, data: bytes, options: NoOptions) -> str | None:
        return "Eicar-Test-Signature" if EICAR in data else None
