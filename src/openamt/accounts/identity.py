"""Identity providers: the ways to log in to the Servicekonto, each reaching an
assurance level (GUIDE §2: one registry, plugins register by id).

The built-in password login reaches "niedrig"; plugins (the test-only eID
simulation, an upstream OpenID provider) are offered on the login page when
they reach the level a service asks for.
"""

from __future__ import annotations

from typing import Protocol

from openamt.accounts.constants import level_at_least
from openamt.core.registry import Registry


class IdentityProvider(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def hint(self) -> str: ...

    @property
    def level(self) -> str:
        """The highest assurance level a login through it can establish."""
        ...

    def enabled(self) -> bool: ...

    def start_url(self, *, next_url: str) -> str: ...


identity_providers: Registry[IdentityProvider] = Registry("Identitätsanbieter")


def providers_reaching(level: str) -> list[tuple[str, IdentityProvider]]:
    return [
        (plugin_id, provider)
        for plugin_id, provider in identity_providers
        if provider.enabled() and level_at_least(provider.level, level)
    ]
