"""A coarse, human description of the device a request came from ("Firefox unter Windows").

The security log shows it so that a holder recognises their own logins; it
keeps neither the full user agent nor the address.
"""

from django.http import HttpRequest

_BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def device_of(request: HttpRequest | None) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in agent), "")
    if browser and system:
        return f"{browser} unter {system}"
    return browser or system or ("unbekanntes Gerät" if request is not None else "")
