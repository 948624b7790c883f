"""Documents as PDF: an HTML template rendered by WeasyPrint (GUIDE §8 "Documents")."""

from typing import Any

from django.template.loader import render_to_string


def pdf_render(*, template: str, context: dict[str, Any]) -> bytes:
    """The PDF bytes of a Django template rendered with `context`. Fonts and
    stylesheets come from the template itself; nothing is fetched from the network
    (the templates link no URLs)."""
    # Imported here: WeasyPrint parses its default stylesheets at import, which
    # would slow every process start (web, worker, management commands).
    import weasyprint

    return weasyprint.HTML(string=render_to_string(template, context)).write_pdf()
