"""Answers that may be up to OPENAMT_ANSWER_CACHE_SECONDS old: what the
Zuständigkeitsfinder promises for its answers, used where every application
asks the same question again (which version is published, which Gemeinde has
this AGS, which places a postcode has, who is responsible). Zero seconds (the
tests) means always fresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")
_NONE = "openamt:none"  # a cached "there is none"


def recent(key: str, compute: Callable[[], T | None]) -> T | None:
    seconds = settings.OPENAMT_ANSWER_CACHE_SECONDS
    if not seconds:
        return compute()
    cached = cache.get(key)
    if cached is not None:
        return None if cached == _NONE else cached
    value = compute()
    cache.set(key, _NONE if value is None else value, seconds)
    return value
