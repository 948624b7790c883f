"""Writes to forms: drafts are edited, a published version is never changed
(a change makes the next version), publishing checks the whole definition."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openamt.accounts.models import User
from openamt.catalogue.models import Service
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from openamt.forms.code_lists import code_lists_filled
from openamt.forms.constants import VersionStatus
from openamt.forms.definition import definition_check
from openamt.forms.models import FormDefinition, FormVersion
from openamt.organisations import permissions
from openamt.organisations.models import Authority

# The forms shipped with OpenAmt (published by `make data`) and their example answers.
SHIPPED_FORMS = Path(__file__).resolve().parent / "data"
SHIPPED_EXAMPLES = SHIPPED_FORMS / "examples"


def may_edit(actor: User | AnonymousUser | None, owner: Authority | None) -> bool:
    """Land admins edit the Land's forms, an authority's admins its own forms."""
    if actor is None:  # the platform itself (openamt forms load)
        return True
    if owner is None:
        return permissions.is_land_admin(actor)
    return permissions.can_change_authority(actor, owner.pk)


def _may_edit(actor: User | None, owner: Authority | None) -> None:
    if not may_edit(actor, owner):
        raise PermissionDenied("Sie dürfen dieses Formular nicht bearbeiten.")


@transaction.atomic
def form_create(
    *, actor: User | None, key: str, service: Service, title: str, owner: Authority | None = None
) -> FormDefinition:
    _may_edit(actor, owner)
    if FormDefinition.objects.filter(key=key).exists():
        raise InvalidInput("Diese Kennung ist schon vergeben.", field="key")
    form = FormDefinition.objects.create(key=key, service=service, title=title, owner=owner)
    audit_record(
        actor=actor, action="form.create", target=form, authority_id=owner.pk if owner else None
    )
    return form


@transaction.atomic
def draft_save(*, actor: User | None, form: FormDefinition, definition: Any) -> FormVersion:
    """The form's draft with this definition: the open draft, or a new version."""
    _may_edit(actor, form.owner)
    if not isinstance(definition, dict):
        raise InvalidInput("Eine Formulardefinition ist ein JSON-Objekt.", field="definition")
    definition = code_lists_filled(definition)
    draft = form.versions.select_for_update().filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        number = (form.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        draft = FormVersion.objects.create(form=form, number=number, definition=definition)
    elif draft.definition != definition:
        draft.definition = definition
        draft.save(update_fields=["definition"])
    return draft


@transaction.atomic
def version_publish(*, actor: User | None, version: FormVersion) -> FormVersion:
    """Publish a draft after checking it; the version published so far retires."""
    version = (
        FormVersion.objects.select_for_update(of=("self",))
        .select_related("form__owner")
        .get(pk=version.pk)
    )
    _may_edit(actor, version.form.owner)
    if version.status != VersionStatus.DRAFT:
        raise InvalidTransition("Nur ein Entwurf kann veröffentlicht werden.")
    definition_check(version.definition)
    version.form.versions.filter(status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED
    )
    version.status, version.published_at = VersionStatus.PUBLISHED, timezone.now()
    version.save(update_fields=["status", "published_at"])
    version.form.title = version.definition["title"]
    version.form.save(update_fields=["title", "updated_at"])
    audit_record(
        actor=actor,
        action="form.publish",
        target=version,
        authority_id=version.form.owner_id,
        changes={"form": version.form.key, "version": version.number},
    )
    return version


def published(form: FormDefinition) -> FormVersion | None:
    return form.versions.filter(status=VersionStatus.PUBLISHED).first()


@transaction.atomic
def forms_load(*, directory: Path) -> Counter[str]:
    """Forms shipped as files (`{"key", "leika_key", "definition"}`), published;
    a file whose definition is already published changes nothing."""
    counts: Counter[str] = Counter()
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key, leika_key = data["key"], data["leika_key"]
            definition = code_lists_filled(data["definition"])
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidInput(f"{path.name}: keine gültige Formulardatei ({error}).") from None
        service = Service.objects.filter(leika_key=leika_key).first()
        if service is None:
            raise InvalidInput(f"{path.name}: die Leistung {leika_key} fehlt im Katalog.")
        form = FormDefinition.objects.filter(key=key).first() or form_create(
            actor=None, key=key, service=service, title=definition.get("title", key)
        )
        current = published(form)
        if current is not None and current.definition == definition:
            counts["unchanged"] += 1
            continue
        try:
            version_publish(
                actor=None, version=draft_save(actor=None, form=form, definition=definition)
            )
        except InvalidInput as error:
            raise InvalidInput(f"{path.name}: {error.message}") from None
        counts["published"] += 1
    return counts
