"""Validation of xdomea messages against the published xdomea 3.0.0 schema.

The schema (XÖV standard, KoSIT) is not part of OpenAmt: it is read from
`settings.XDOMEA_SCHEMA_DIR` (`OPENAMT_XDOMEA_SCHEMA_DIR`, by default
`../shared/data/xdomea` beside the repository), entry point
`xdomea_3.0.0/xdomea.xsd`. It is compiled once per process and reused.
"""

import re
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from openamt.cases.xdomea.common import XdomeaError
from openamt.core.errors import ImportFormatError
from openamt.core.xml import MAX_XML_BYTES, parse_xml

SCHEMA_ENTRY = Path("xdomea_3.0.0") / "xdomea.xsd"
_LOCK = threading.Lock()


class XdomeaSchemaUnavailable(XdomeaError):
    code = "xdomea_schema_unavailable"
    status = 503
    title = "Das xdomea-Schema ist nicht installiert."


def schema_path() -> Path:
    """Where the xdomea 3.0.0 entry schema is expected."""
    return Path(settings.XDOMEA_SCHEMA_DIR) / SCHEMA_ENTRY


def schema_available() -> bool:
    return schema_path().is_file()


@lru_cache(maxsize=2)
def _schema(path: Path) -> etree.XMLSchema:
    # The schema files are trusted reference material, but read without network
    # like everything else: their includes and imports are relative files.
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser=parser))


def _schema_compiled() -> etree.XMLSchema:
    path = schema_path()
    if not path.is_file():
        raise XdomeaSchemaUnavailable(
            f"Das xdomea-3.0.0-Schema fehlt unter {path} "
            "(OPENAMT_XDOMEA_SCHEMA_DIR auf den Ordner mit xdomea_3.0.0/ setzen)."
        )
    return _schema(path)


# libxml2 reports in English; the usual findings read in German, anything else
# keeps its original wording behind a German lead.
_NAME = r"'([^']+)'"
_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"^Element {_NAME}: This element is not expected\. Expected is (?:one of )?\( (.*) \)\.$"
        ),
        r"Element \1 ist hier nicht zulässig; erwartet wird \2.",
    ),
    (
        re.compile(rf"^Element {_NAME}: This element is not expected\.$"),
        r"Element \1 ist hier nicht zulässig.",
    ),
    (
        re.compile(
            rf"^Element {_NAME}: Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)\.$"
        ),
        r"Element \1: es fehlt ein Unterelement; erwartet wird \2.",
    ),
    (
        re.compile(rf"^Element {_NAME}: \[facet 'pattern'\] The value '(.*)' is not accepted.*$"),
        r"Element \1: der Wert „\2“ hat nicht die vorgeschriebene Form.",
    ),
    (
        re.compile(rf"^Element {_NAME}: \[facet 'enumeration'\] The value '(.*)' is not an .*$"),
        r"Element \1: der Wert „\2“ steht nicht in der Codeliste.",
    ),
    (
        re.compile(rf"^Element {_NAME}: '(.*)' is not a valid value of .*$"),
        r"Element \1: „\2“ ist kein gültiger Wert.",
    ),
    (
        re.compile(r"^Element (.*): No matching global declaration available .*$"),
        r"Das Wurzelelement \1 ist keine xdomea-3.0.0-Nachricht.",
    ),
)


def _german(message: str) -> str:
    message = re.sub(r"\{[^}]*\}", "", message)  # element names without their namespace
    for pattern, replacement in _TRANSLATIONS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return f"Schemaverstoß: {message}"


def message_validate(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> list[str]:
    """Check one xdomea message (XML bytes) against the xdomea 3.0.0 schema.

    Returns German error lines `Zeile N: …`, empty when the message is valid.
    The message is read with the hardened parser (no DTD, no entities, no
    network, at most `max_bytes`); a message that cannot be read at all gives
    one line saying why. Raises XdomeaSchemaUnavailable when the schema is
    not installed.
    """
    schema = _schema_compiled()
    try:
        root = parse_xml(data, max_bytes=max_bytes)
    except ImportFormatError as error:  # already German, with its line
        return [error.message]
    with _LOCK:  # one compiled schema shared by the threads of a process
        valid = schema.validate(root)
        errors = list(schema.error_log) if not valid else []
    return [f"Zeile {error.line}: {_german(error.message)}" for error in errors]
