import pytest

from openamt.core.errors import ImportFormatError
from openamt.core.xml import parse_xml


def test_plain_xml_is_read():
    root = parse_xml(b"<a><b>Text</b><!-- weg --></a>")
    assert [child.text for child in root] == ["Text"]


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]><a>&y;</a>',
        b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/a.dtd"><a/>',
    ],
)
def test_doctypes_and_entities_are_refused(data):
    with pytest.raises(ImportFormatError, match="Zeile 1: XML mit DOCTYPE-Deklaration"):
        parse_xml(data)


def test_malformed_xml_names_the_line():
    with pytest.raises(ImportFormatError, match="Zeile 2: Die Datei ist kein wohlgeformtes XML"):
        parse_xml(b"<a>\n<b></a>")


def test_oversized_input_is_not_parsed():
    with pytest.raises(ImportFormatError, match="größer als 1 MB"):
        parse_xml(b"<a>" + b"x" * (1024 * 1024) + b"</a>", max_bytes=1024 * 1024)
