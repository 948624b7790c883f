"""The registry of virus scanners and the one function callers use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from openamt.core.errors import DomainError
from openamt.core.registry import Registry
from openamt.core.scanning.base import Scanner

virus_scanners: Registry[Scanner] = Registry("Virenscanner")


def scanner_configured() -> tuple[Scanner, Any]:
    """The configured scanner (OPENAMT_VIRUS_SCANNER) and its validated options
    (OPENAMT_VIRUS_SCANNER_OPTIONS). Raises ImproperlyConfigured, naming the
    setting, for an unknown scanner or invalid options: that is the operator's
    error, never the uploader's."""
    plugin_id = settings.OPENAMT_VIRUS_SCANNER
    try:
        options = virus_scanners.options_validate(plugin_id, settings.OPENAMT_VIRUS_SCANNER_OPTIONS)
    except DomainError as error:
        raise ImproperlyConfigured(f"OPENAMT_VIRUS_SCANNER(_OPTIONS): {error.message}") from None
    return virus_scanners.get(plugin_id), options


def scan(data: bytes) -> str | None:
    """Scan `data` (the bytes of one upload) with the configured scanner.
    Returns the name of what was found or None for a clean file; raises
    ScannerUnavailable when the scanner cannot be asked."""
    scanner, options = scanner_configured()
    return scanner.scan(data, options)
