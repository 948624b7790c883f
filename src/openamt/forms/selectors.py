"""Reads of published forms (public: what citizens and partner portals may fill in)."""

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
    version = published_forms().filter(form__key=key).first()
    if version is None:
        raise NotFound("Dieses Formular gibt es nicht oder es ist nicht veröffentlicht.")
    return version
