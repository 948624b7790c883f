from django.db import models


class AuthorityKind(models.TextChoices):
    GEMEINDEVERWALTUNG = "gemeindeverwaltung", "Stadt-/Gemeindeverwaltung"
    VERWALTUNGSGEMEINSCHAFT = "verwaltungsgemeinschaft", "Verwaltungsgemeinschaft"
    LANDRATSAMT = "landratsamt", "Landratsamt"
    KREISFREIE_STADT = "kreisfreie_stadt", "Stadtverwaltung einer kreisfreien Stadt"
    LANDESBEHOERDE = "landesbehoerde", "Landesbehörde"
    IT_DIENSTLEISTER = "it_dienstleister", "kommunaler IT-Dienstleister"


class TenantStatus(models.TextChoices):
    APPLIED = "beantragt", "beantragt"
    ACTIVE = "aktiv", "aktiv"
    TERMINATED = "gekuendigt", "gekündigt"


class AuthorityRoleName(models.TextChoices):
    ADMIN = "admin", "Administration"
    CASEWORKER = "caseworker", "Sachbearbeitung"
    FINANCE = "finance", "Finanzen"
    READ_ONLY = "read_only", "Lesezugriff"


class LandRoleName(models.TextChoices):
    LAND_ADMIN = "land_admin", "Landesadministration"
    PROGRAMME_STAFF = "programme_staff", "Förderprogramm"
    OPERATOR = "operator", "Betrieb"


WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
