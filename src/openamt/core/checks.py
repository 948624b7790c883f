"""System checks (`openamt check`, run by `migrate` and `make run`): plugin
configuration read from settings is validated by its plugin before the first
request needs it."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from openamt.core.scanning.registry import scanner_configured
from openamt.core.signers.registry import trust_roots_configured


@register()
def virus_scanner_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    """One error when the configured virus scanner is unknown or its options invalid."""
    try:
        scanner_configured()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="openamt.E001")]
    return []


@register()
def seal_trust_roots_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    """One error when a file of OPENAMT_SEAL_TRUST_ROOTS is missing or holds no certificate."""
    try:
        trust_roots_configured()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="openamt.E002")]
    return []
