"""The registry of delivery targets and how an authority's set-up of one is read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openamt.core.errors import DomainError
from openamt.core.registry import Registry
from openamt.submissions.base import DeliveryError, DeliveryTarget
from openamt.submissions.models import DeliveryEndpoint

delivery_targets: Registry[DeliveryTarget] = Registry("Zustellweg")


def reach_own_system(plugin_ids: Iterable[str]) -> bool:
    """Whether one of these targets puts an application into the authority's
    own system (Fachverfahren), rather than leaving it in the platform's Eingang."""
    return any(delivery_targets.get(plugin_id).reaches_own_system for plugin_id in plugin_ids)


def default_targets() -> list[str]:
    """Ids of the targets a form uses when its definition names none."""
    return [plugin_id for plugin_id, target in delivery_targets if target.default]


def target_options(*, authority_id: int, plugin_id: str) -> Any:
    """The authority's validated options for `plugin_id`: its endpoint row's
    public options and unsealed secrets, or no options where it has none (a
    target that needs options then fails validation). DeliveryError when they
    are missing or invalid, so the job is retried and finally reported."""
    endpoint = DeliveryEndpoint.objects.filter(authority_id=authority_id, plugin=plugin_id).first()
    data = {**endpoint.options, **endpoint.secret_values()} if endpoint else {}
    try:
        return delivery_targets.options_validate(plugin_id, data)
    except DomainError as error:
        label = delivery_targets.get(plugin_id).label
        raise DeliveryError(
            f"Zustellweg „{label}“ ist nicht vollständig eingerichtet: {error.message}"
        ) from None
