from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamt.core.errors import ImportFormatError
from openamt.regions.constants import Level
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad, parse_record
from openamt.regions.importers.postcodes import parse_postcodes

ERFURT = "6020251130160510000000Erfurt, Stadt".ljust(
    122
) + "61    000000269910000021879300000106836    99084*****  4151110609301192".ljust(98)


def _gemeinde(*, ars: str, name: str, kind: str, area: int, population: int, plz: str) -> str:
    head = f"6020251130{ars[:5]}{ars[9:12]}{ars[5:9]}{name:<50}{'':<50}{kind}    "
    numbers = f"{area:011d}{population:011d}{0:011d}    {plz}     "
    return (head + numbers).ljust(220)


def test_parses_a_real_record():
    record = parse_record(ERFURT, 7)
    assert record.line == 7
    assert record.level == Level.GEMEINDE
    assert record.edition == date(2025, 11, 30)
    assert (record.ars, record.ags, record.name, record.kind) == (
        "160510000000",
        "16051000",
        "Erfurt, Stadt",
        "61",
    )
    assert (record.area_ha, record.population, record.seat_postcode) == (26991, 218793, "99084")
    assert record.has_several_postcodes is True


@given(
    ars=st.from_regex(r"\A[0-9]{12}\Z"),
    name=st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "Zs"]), min_size=1, max_size=50
    )
    .filter(str.strip)
    .map(str.strip),
    kind=st.sampled_from(["60", "61", "62", "63", "64", "65", "66", "67"]),
    area=st.integers(0, 10**10),
    population=st.integers(0, 10**10),
    plz=st.from_regex(r"\A[0-9]{5}\Z"),
)
def test_round_trip_of_generated_records(ars, name, kind, area, population, plz):
    text = _gemeinde(ars=ars, name=name, kind=kind, area=area, population=population, plz=plz)
    record = parse_record(text, 1)
    assert (record.ars, record.name, record.kind) == (ars, name, kind)
    assert (record.area_ha, record.population, record.seat_postcode) == (area, population, plz)
    assert record.ags == ars[:5] + ars[9:]


@given(position=st.integers(0, 219), char=st.sampled_from(list("XÄ#")))
def test_a_letter_in_a_numeric_field_is_reported_with_its_line(position, char):
    text = ERFURT[:position] + char + ERFURT[position + 1 :]
    # Satzart, Gebietsstand, keys, Textkennzeichen, area, population, PLZ.
    checked = set(range(0, 22)) | {122, 123} | set(range(128, 150)) | set(range(165, 170))
    if position in checked:
        with pytest.raises(ImportFormatError) as error:
            parse_record(text, 42)
        assert error.value.line == 42
    else:
        parse_record(text, 42)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ERFURT[:200], "Satzlänge 200"),
        ("70" + ERFURT[2:], "Unbekannte Satzart „70“"),
        (ERFURT[:122] + "50" + ERFURT[124:], "Textkennzeichen „50“"),
        (ERFURT[:2] + "20251340" + ERFURT[10:], "kein Datum"),
        (ERFURT[:22] + " " * 50 + ERFURT[72:], "Bezeichnung fehlt"),
    ],
)
def test_malformed_records(text, message):
    with pytest.raises(ImportFormatError, match=message):
        list(parse_gv100ad(["", text]))


def test_postcode_header_must_match():
    with pytest.raises(ImportFormatError) as error:
        list(parse_postcodes(["plz,ort\n"]))
    assert error.value.line == 1


def test_postcode_rows():
    rows = list(
        parse_postcodes(
            [
                "osm_id,ags,ort,plz,landkreis,bundesland\n",
                '62422,16051000,Erfurt,99084,"Erfurt, Stadt",Thüringen\n',
            ]
        )
    )
    assert [(r.line, r.ags, r.place, r.postcode) for r in rows] == [
        (2, "16051000", "Erfurt", "99084")
    ]
