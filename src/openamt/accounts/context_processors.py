from typing import Any

from django.http import HttpRequest

from openamt.accounts.auth import session_level


def account(request: HttpRequest) -> dict[str, Any]:
    # A Servicekonto session carries its assurance level; a staff session does not.
    return {"account_session": bool(hasattr(request, "session") and session_level(request))}
