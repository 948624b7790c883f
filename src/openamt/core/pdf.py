"""Documents as PDF: an HTML template rendered by WeasyPrint (GUIDE §8 "Documents")."""

from typing import Any

from django.template.loader import render_to_string

# The PDF/A flavour of legally relevant documents (Bescheide). PDF/A-2 because
# ISO 19005-2 admits PAdES signatures made as incremental updates, which is how
# a Bescheid is sealed after rendering, and because it is what archives taking
# xdomea deliveries accept; PDF/A-3 would add only the embedding of arbitrary
# non-PDF/A files, which archives refuse. Level "b" (visual reproduction: every
# font embedded, an sRGB output intent) because that is what WeasyPrint's
# output can be relied on to meet; "a" would need a tagged structure that our
# templates do not declare.
PDFA_VARIANT = "pdf/a-2b"


def pdf_render(*, template: str, context: dict[str, Any], pdfa: bool = False) -> bytes:
    """The PDF bytes of a Django template rendered with `context`. Fonts and
    stylesheets come from the template itself; nothing is fetched from the network
    (the templates link no URLs).

    With `pdfa`, the document is PDF/A-2b (`PDFA_VARIANT`): WeasyPrint then
    embeds every font it uses (as it always does), adds its sRGB output intent,
    a document identifier and the XMP metadata declaring part 2, conformance B."""
    # Imported here: WeasyPrint parses its default stylesheets at import, which
    # would slow every process start (web, worker, management commands).
    import weasyprint

    html = weasyprint.HTML(string=render_to_string(template, context))
    if pdfa:
        return html.write_pdf(pdf_variant=PDFA_VARIANT)
    return html.write_pdf()
