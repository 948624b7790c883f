"""Reads of published forms (public: what citizens and partner portals may fill in)."""

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from openamt.core.errors import NotFound
from openamt.forms.constants import VersionStatus
from openamt.forms.models import FormVersion


def published_forms(*, leika_key: str = "") -> QuerySet[FormVersion]:
    versions = FormVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "form__service", "form__owner"
    )
    if leika_key:
        versions = versions.filter(form__service__leika_key=leika_key)
    return versions.order_by("form__title", "form__key")


def published_form(*, key: str) -> FormVersion:
    version = published_forms().filter(form__key=key).defer("definition").first()
    if version is None:
        raise NotFound("Dieses Formular gibt es nicht oder es ist nicht veröffentlicht.")
    version.definition = _definition(version.pk, version.published_at)
    return version


@lru_cache(maxsize=256)
def _definition(version_id: int, published_at: datetime | None) -> dict[str, Any]:
    """A published version never changes: its parsed definition is kept per process
    (the publication time in the key guards against a reused id after a restore).
    Callers must not change it (copy first)."""
    return FormVersion.objects.values_list("definition", flat=True).get(pk=version_id)
