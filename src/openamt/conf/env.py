"""The one place where settings read the process environment."""

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


@overload
def env_path(name: str, default: Path) -> Path: ...
@overload
def env_path(name: str, default: None) -> Path | None: ...
def env_path(name: str, default: Path | None) -> Path | None:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default
