from django.conf import settings


def public_url(path: str) -> str:
    """An absolute link for mails and tokens, to where users reach the platform."""
    return settings.OPENAMT_PUBLIC_URL.rstrip("/") + path
