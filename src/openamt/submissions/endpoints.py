"""Where an authority receives applications outside the platform: its admins
set up a delivery target plugin (a FIT-Connect-style Zustellpunkt, a signed
webhook, a functional mailbox). The plugin validates the options; secrets are
write-only (sealed at rest, never shown again) and never in the audit log."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.organisations import permissions
from openamt.organisations.models import Authority
from openamt.submissions.models import DeliveryEndpoint
from openamt.submissions.registry import delivery_targets

ADMINS_ONLY = "Nur Administratoren der Behörde richten Zustellpunkte ein."


def configurable_targets() -> list[tuple[str, str]]:
    """(id, label) of the targets an authority sets up on its Zustellpunkte page."""
    return [
        (plugin_id, target.label) for plugin_id, target in delivery_targets if target.configurable
    ]


def endpoint_store(
    *, authority: Authority, plugin: str, values: dict[str, Any]
) -> DeliveryEndpoint:
    """Validate `values` with the plugin and store them as the authority's
    endpoint of `plugin` (public options as JSON, secrets sealed); an empty or
    missing secret keeps the stored one. No permission check and no audit
    entry: callers are `endpoint_save` and set-ups by the platform itself.
    Raises InvalidInput (field = the option) when the plugin refuses them."""
    endpoint = DeliveryEndpoint.objects.filter(authority=authority, plugin=plugin).first()
    target = delivery_targets.get(plugin)
    stored = endpoint.secret_values() if endpoint else {}
    given = {name: value for name, value in values.items() if value not in (None, "")}
    kept = {name: value for name, value in stored.items() if name in target.secret_options}
    options = delivery_targets.options_validate(plugin, {**kept, **given})
    public, secrets = delivery_targets.options_split(plugin, options)
    endpoint = endpoint or DeliveryEndpoint(authority=authority, plugin=plugin)
    endpoint.options = public
    endpoint.secrets = json.dumps(secrets, sort_keys=True) if secrets else ""
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_save(
    *, actor: User, authority: Authority, plugin: str, values: dict[str, Any]
) -> DeliveryEndpoint:
    """Create or change the authority's endpoint of target `plugin` from
    `values` (option name → value, as the plugin's Options model names them);
    an empty or missing secret keeps the stored one. Raises PermissionDenied
    for anyone but the authority's admins, InvalidInput (field = the option)
    for an unknown target or options the plugin refuses: then nothing is saved."""
    if not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied(ADMINS_ONLY)
    if plugin not in dict(configurable_targets()):
        raise InvalidInput("Diesen Zustellweg gibt es nicht.", field="plugin")
    endpoint = endpoint_store(authority=authority, plugin=plugin, values=values)
    audit_record(
        actor=actor,
        action="delivery_endpoint.save",
        target=endpoint,
        authority_id=authority.pk,
        # Never a secret: only the public options.
        changes={"plugin": plugin, "options": endpoint.options},
    )
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor: User, authority: Authority, plugin: str) -> None:
    """Remove the authority's endpoint of `plugin` (nothing if there is none);
    PermissionDenied for anyone but the authority's admins."""
    if not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied(ADMINS_ONLY)
    endpoint = DeliveryEndpoint.objects.filter(authority=authority, plugin=plugin).first()
    if endpoint is not None:
        audit_record(
            actor=actor,
            action="delivery_endpoint.delete",
            target=endpoint,
            authority_id=authority.pk,
            changes={"plugin": plugin},
        )
        endpoint.delete()
