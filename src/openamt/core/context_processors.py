from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static


def coat_of_arms_url() -> str:
    """Where the installation's coat of arms is served from ("" when none is set)."""
    value = settings.OPENAMT_COAT_OF_ARMS.strip()
    if not value or urlsplit(value).scheme in ("http", "https"):
        return value
    return static(value.lstrip("/"))


def site(request: HttpRequest | None) -> dict[str, Any]:
    """Name and coat of arms of the installation for every page's frame; reads no
    database, so that the error pages can use it too."""
    return {"site_name": settings.OPENAMT_SITE_NAME, "site_coat_of_arms": coat_of_arms_url()}
