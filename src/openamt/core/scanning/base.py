"""The contract of a virus scanner plugin."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel

from openamt.core.errors import DomainError


class ScannerUnavailable(DomainError):
    """The scanner could not be asked; the upload is refused, never accepted unchecked."""

    code = "scanner_unavailable"
    status = 503
    title = "Die Virenprüfung ist gerade nicht erreichbar."


class Scanner(Protocol):
    label: str

    @property
    def Options(self) -> type[BaseModel]: ...

    secret_options: frozenset[str]
    # A scanner that recognises only test signatures; production refuses it.
    for_testing_only: bool

    def scan(self, data: bytes, options: Any) -> str | None:
        """The name of what was found in `data`, or None for a clean file.
        `options` is an instance of the plugin's Options. Raises
        ScannerUnavailable when the scanner cannot be asked."""
        ...
