"""Tenant isolation: every staff URL, requested by staff of another authority.

The check walks the URL configuration, so a new staff URL is covered the
moment it exists; a URL argument it cannot fill fails the check until a
filler is added here.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openamt.core.models import AuditEntry
from openamt.organisations.models import Authority, AuthorityRole, Tenant

# How to fill each URL argument so that it addresses the foreign authority.
ARGUMENT_FILLERS: dict[str, Callable[[Authority], Any]] = {"pk": lambda authority: authority.pk}
# Admin pages that address one authority: staff without admin rights must not get in.
ADMIN_URLS = ["admin:organisations_authority_change", "admin:organisations_authority_history"]


def staff_urls(foreign: Authority, namespace: str = "backoffice") -> Iterator[tuple[str, bool]]:
    """(url, addresses_one_authority) for every URL of the staff namespace."""
    for entry in get_resolver().url_patterns:
        if not (isinstance(entry, URLResolver) and entry.namespace == namespace):
            continue
        for pattern in entry.url_patterns:
            if not isinstance(pattern, URLPattern):
                continue
            arguments = set(pattern.pattern.regex.groupindex)
            unknown = arguments - ARGUMENT_FILLERS.keys()
            assert not unknown, f"{namespace}:{pattern.name}: no filler for {sorted(unknown)}"
            kwargs = {name: ARGUMENT_FILLERS[name](foreign) for name in arguments}
            yield reverse(f"{namespace}:{pattern.name}", kwargs=kwargs), bool(arguments)


def _snapshot(foreign: Authority) -> tuple[Any, ...]:
    return (
        Authority.objects.filter(pk=foreign.pk).values().get(),
        list(Tenant.objects.filter(authority=foreign).values()),
        list(AuthorityRole.objects.filter(authority=foreign).values()),
        AuditEntry.objects.count(),
    )


def assert_isolated(client: Client, *, foreign: Authority, post_data: dict[str, str]) -> list[str]:
    """Staff logged in on `client` request every staff URL for `foreign`.

    URLs that address one authority must answer 403 or 404 to GET and POST;
    the others (lists) must not mention it. Nothing about `foreign` may
    change. Returns the URLs checked.
    """
    before = _snapshot(foreign)
    checked = []
    for url, addressed in staff_urls(foreign):
        if addressed:
            for response in (client.get(url), client.post(url, post_data)):
                assert response.status_code in (403, 404), f"{url} -> {response.status_code}"
        else:
            response = client.get(url)
            if response.status_code == 200:
                assert foreign.name not in response.content.decode(), f"{url} shows {foreign}"
        checked.append(url)
    for name in ADMIN_URLS:
        url = reverse(name, args=[foreign.pk])
        for response in (client.get(url), client.post(url, post_data)):
            assert response.status_code in (302, 403, 404), f"{url} -> {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("admin:login")), url
        checked.append(url)
    assert _snapshot(foreign) == before, "a request changed another authority's data"
    return checked
