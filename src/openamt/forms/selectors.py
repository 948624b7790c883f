"""Reads of published forms (public: what citizens and partner portals may fill in)."""

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet

from openamt.core.errors import NotFound
from openamt.core.recent import recent
from openamt.forms.constants import VersionStatus
from openamt.forms.models import FormDefinition, FormVersion
from openamt.organisations import permissions
from openamt.organisations.permissions import AnyUser


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


def published_form_recent(*, key: str) -> FormVersion:
    """The published version as of at most OPENAMT_ANSWER_CACHE_SECONDS ago: a version
    published or retired just now reaches the application intake within that time."""
    version = recent(
        f"openamt:published-form:{key}",
        lambda: published_forms().filter(form__key=key).defer("definition").first(),
    )
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


def forms_for_user(*, user: AnyUser) -> QuerySet[FormDefinition]:
    """Forms a staff member may see: the Land's forms and those of their authorities
    (all of them for Land-wide roles)."""
    if not permissions.is_staff_member(user):
        return FormDefinition.objects.none()
    forms = FormDefinition.objects.select_related("service", "owner")
    if not permissions.land_roles(user) & permissions.LAND_WIDE_READ:
        forms = forms.filter(
            Q(owner__isnull=True) | Q(owner_id__in=permissions.authority_ids(user))
        )
    return forms.order_by("title", "key")


def form_for_user(*, user: AnyUser, key: str) -> FormDefinition:
    form = forms_for_user(user=user).filter(key=key).first()
    if form is None:
        raise NotFound("Dieses Formular gibt es nicht oder Sie dürfen es nicht sehen.")
    return form
