"""Tenant isolation: every staff URL, requested for another authority's record."""

from collections.abc import Iterator

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openamt.organisations.models import Authority


def staff_url_names(namespace: str = "backoffice") -> Iterator[str]:
    """Names of all URLs of a namespace that address one authority (`<int:pk>`)."""
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == namespace:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and "pk" in pattern.pattern.regex.groupindex:
                    yield f"{namespace}:{pattern.name}"


def assert_isolated(client: Client, *, foreign: Authority, post_data: dict[str, str]) -> list[str]:
    """Request every staff URL for `foreign` with GET and POST; all must be 403/404
    and `foreign` must be unchanged afterwards. Returns the URLs checked."""
    before = Authority.objects.filter(pk=foreign.pk).values().get()
    checked = []
    for name in staff_url_names():
        url = reverse(name, kwargs={"pk": foreign.pk})
        for method in ("get", "post"):
            response = (
                getattr(client, method)(url, post_data) if method == "post" else client.get(url)
            )
            assert response.status_code in (403, 404), (
                f"{method.upper()} {url} -> {response.status_code}"
            )
        checked.append(url)
    after = Authority.objects.filter(pk=foreign.pk).values().get()
    assert after == before, "a request changed another authority's data"
    assert checked, "no staff URLs found to check"
    return checked
