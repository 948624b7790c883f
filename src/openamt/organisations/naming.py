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


def _municipal_name(register_name: str) -> str:
    """ "Neustadt an der Orla, Stadt" -> "Stadtverwaltung Neustadt an der Orla";
    "EG Uder" -> "Gemeindeverwaltung Uder"."""
    name = register_name.removeprefix("EG ").strip()
    base, _, designation = name.partition(",")
    title = "Stadtverwaltung" if designation.strip().startswith("Stadt") else "Gemeindeverwaltung"
    return f"{title} {base.strip()}"


def verband_authority(verband: Region, kreis: Region) -> tuple[str, str]:
    """Name and kind of the administration of a Gemeindeverband record."""
    if verband.kind in _VERBAND_TITLES:
        return (
            f"{_VERBAND_TITLES[RegionKind(verband.kind)]} {verband.name}",
            AuthorityKind.VERWALTUNGSGEMEINSCHAFT,
        )
    name = _municipal_name(verband.name)
    if kreis.kind == RegionKind.KREISFREIE_STADT:
        return name, AuthorityKind.KREISFREIE_STADT
    return name, AuthorityKind.GEMEINDEVERWALTUNG


def kreis_authority(kreis: Region) -> tuple[str, str]:
    return f"Landratsamt {kreis.name}", AuthorityKind.LANDRATSAMT
