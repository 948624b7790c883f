"""The one way OpenAmt reads XML from outside: no DTDs, no entities, no network.

Documents from other systems (XZuFi, later e-invoices and xdomea) may be
hostile. The parser refuses a DOCTYPE outright, so entity expansion
("billion laughs") and external entities cannot happen, never fetches
anything, and caps the size of what it is given.
"""

from lxml import etree

from openamt.core.errors import ImportFormatError

MAX_XML_BYTES = 200 * 1024 * 1024


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of a document; any problem is an ImportFormatError in German."""
    if len(data) > max_bytes:
        raise ImportFormatError(
            f"Die XML-Datei ist größer als {max_bytes // (1024 * 1024)} MB und wird nicht gelesen.",
            line=1,
        )
    try:
        tree = etree.fromstring(data, parser=safe_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise ImportFormatError(
            f"Die Datei ist kein wohlgeformtes XML: {error.msg}", line=error.lineno or 1
        ) from None
    if tree.docinfo.doctype:
        raise ImportFormatError(
            "XML mit DOCTYPE-Deklaration wird aus Sicherheitsgründen abgelehnt.", line=1
        )
    return tree.getroot()
