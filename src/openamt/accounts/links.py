"""Links into the login that lead back to where the citizen was: the form
that asked for an account, across login, second factor, step-up, registration
and the confirmation mail."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

HOME = "/konto/"  # where a login without a (valid) target leads
MAX_PATH = 1000


def site_path(target: str) -> str:
    """`target` if it is a path of this site ("/antrag/…/?ort=…"), else "".

    Only a relative path passes: no scheme, no host, no network-path reference
    ("//host", "/\\host"), nothing unprintable (no header injection), at most
    MAX_PATH characters. A login link in a phishing mail must not send the
    citizen to another site after a real login (OWASP: unvalidated redirects).
    """
    if (
        target.startswith("/")
        and len(target) <= MAX_PATH
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    ):
        return target
    return ""


def login_url(next_path: str = "", level: str = "") -> str:
    """The login page that leads to `next_path` afterwards (if it is a site path,
    see `site_path`), asking for assurance `level` if given."""
    next_path = site_path(next_path)
    query = {"next": next_path} if next_path else {}
    if level:
        query["niveau"] = level
    return f"{reverse('accounts:login')}?{urlencode(query)}" if query else reverse("accounts:login")
