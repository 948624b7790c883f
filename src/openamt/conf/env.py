"""The one place where settings read the process environment."""

import json
import os
from pathlib import Path
from typing import overload


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_object(name: str) -> dict:
    """A JSON object from the environment ({} when unset); ImproperlyConfigured otherwise."""
    from django.core.exceptions import ImproperlyConfigured

    value = os.environ.get(name, "").strip()
    try:
        parsed = json.loads(value) if value else {}
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} muss ein JSON-Objekt sein.")
    return parsed


@overload
def env_path(name: str, default: Path) -> Path: ...
@overload
def env_path(name: str, default: None) -> Path | None: ...
def env_path(name: str, default: Path | None) -> Path | None:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default
