from django.db import models


class Level(models.TextChoices):
    """Administrative levels of the Destatis register, from Satzart 10 to 60."""

    LAND = "land", "Land"
    REGIERUNGSBEZIRK = "regierungsbezirk", "Regierungsbezirk"
    REGION = "region", "Region"
    KREIS = "kreis", "Kreis"
    VERBAND = "verband", "Gemeindeverband"
    GEMEINDE = "gemeinde", "Gemeinde"


# Length of the significant part of the Amtlicher Regionalschlüssel per level.
ARS_LENGTH = {
    Level.LAND: 2,
    Level.REGIERUNGSBEZIRK: 3,
    Level.REGION: 4,
    Level.KREIS: 5,
    Level.VERBAND: 9,
    Level.GEMEINDE: 12,
}


class RegionKind(models.TextChoices):
    """The register's Textkennzeichen (EF7U1) of Kreis, Gemeindeverband and Gemeinde."""

    KREISFREIE_STADT = "41", "Kreisfreie Stadt"
    STADTKREIS = "42", "Stadtkreis"
    KREIS = "43", "Kreis"
    LANDKREIS = "44", "Landkreis"
    REGIONALVERBAND = "45", "Regionalverband"
    VERBANDSFREI = "50", "verbandsfreie Gemeinde"
    AMT = "51", "Amt"
    SAMTGEMEINDE = "52", "Samtgemeinde"
    VERBANDSGEMEINDE = "53", "Verbandsgemeinde"
    VERWALTUNGSGEMEINSCHAFT = "54", "Verwaltungsgemeinschaft"
    KIRCHSPIELSLANDGEMEINDE = "55", "Kirchspielslandgemeinde"
    VERWALTUNGSVERBAND = "56", "Verwaltungsverband"
    VG_TRAEGERMODELL = "57", "Verwaltungsgemeinschaft (Trägermodell)"
    ERFUELLENDE_GEMEINDE = "58", "erfüllende Gemeinde"
    MARKT = "60", "Markt"
    KREISFREIE_STADT_GEMEINDE = "61", "Kreisfreie Stadt"
    STADTKREIS_GEMEINDE = "62", "Stadtkreis"
    STADT = "63", "Stadt"
    KREISANGEHOERIGE_GEMEINDE = "64", "kreisangehörige Gemeinde"
    GEMEINDEFREI_BEWOHNT = "65", "gemeindefreies Gebiet, bewohnt"
    GEMEINDEFREI_UNBEWOHNT = "66", "gemeindefreies Gebiet, unbewohnt"
    GROSSE_KREISSTADT = "67", "Große Kreisstadt"


class PostcodeSource(models.TextChoices):
    REGISTER = "register", "Gemeindeverzeichnis (PLZ des Verwaltungssitzes)"
    OSM = "osm", "OpenStreetMap-Zuordnung"
