"""Names of the authorities that administer the register's units."""

from openamt.organisations.constants import AuthorityKind
from openamt.regions.constants import RegionKind
from openamt.regions.models import Region

_VERBAND_TITLES = {
    RegionKind.VERWALTUNGSGEMEINSCHAFT: "Verwaltungsgemeinschaft",
    RegionKind.VG_TRAEGERMODELL: "Verwaltungsgemeinschaft",
    RegionKind.AMT: "Amt",
    RegionKind.SAMTGEMEINDE: "Samtgemeinde",
    RegionKind.VERBANDSGEMEINDE: "Verbandsgemeindeverwaltung",
    RegionKind.VERWALTUNGSVERBAND: "Verwaltungsverband",
    RegionKind.KIRCHSPIELSLANDGEMEINDE: "Kirchspielslandgemeinde",
}


STADT_KINDS = {
    RegionKind.KREISFREIE_STADT_GEMEINDE,
    RegionKind.STADTKREIS_GEMEINDE,
    RegionKind.STADT,
    RegionKind.GROSSE_KREISSTADT,
}


def municipal_base_name(verband: Region) -> str:
    """The municipality behind a verbandsfreie or erfüllende Gemeinde record:
    "EG Uder" -> "Uder", "Neustadt an der Orla, Stadt" -> "Neustadt an der Orla"."""
    return verband.name.removeprefix("EG ").split(",", 1)[0].strip()


def verband_authority(
    verband: Region, kreis: Region | None, seat: Region | None
) -> tuple[str, str]:
    """Name and kind of the administration of a Gemeindeverband record.

    `seat` is the member Gemeinde that administers a verbandsfreie or
    erfüllende Gemeinde; its Textkennzeichen tells a Stadt from a Gemeinde.
    """
    if verband.kind in _VERBAND_TITLES:
        title = _VERBAND_TITLES[RegionKind(verband.kind)]
        return f"{title} {verband.name}", AuthorityKind.VERWALTUNGSGEMEINSCHAFT
    is_stadt = seat.kind in STADT_KINDS if seat else verband.name.endswith(", Stadt")
    name = (
        f"{'Stadtverwaltung' if is_stadt else 'Gemeindeverwaltung'} {municipal_base_name(verband)}"
    )
    if kreis is not None and kreis.kind == RegionKind.KREISFREIE_STADT:
        return name, AuthorityKind.KREISFREIE_STADT
    return name, AuthorityKind.GEMEINDEVERWALTUNG


_KREIS_TITLES = {
    RegionKind.LANDKREIS: "Landratsamt",
    RegionKind.KREIS: "Kreisverwaltung",
    RegionKind.REGIONALVERBAND: "Regionalverband",
}


def kreis_authority(kreis: Region) -> tuple[str, str]:
    return f"{_KREIS_TITLES[RegionKind(kreis.kind)]} {kreis.name}", AuthorityKind.LANDRATSAMT
