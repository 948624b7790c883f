import secrets
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from openamt.accounts.models import User
from openamt.organisations.constants import AuthorityRoleName, LandRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant, land_role_grant
from openamt.submissions.demo import demo_routes

# (user name, display name, Land role, authority name, authority role)
DEMO_STAFF = [
    ("land.admin", "Landesadministration", LandRoleName.LAND_ADMIN, None, None),
    ("betrieb", "Betrieb", LandRoleName.OPERATOR, None, None),
    (
        "erfurt.sb",
        "Sachbearbeitung Erfurt",
        None,
        "Stadtverwaltung Erfurt",
        AuthorityRoleName.CASEWORKER,
    ),
    (
        "lindenberg.admin",
        "Administration VG Lindenberg/Eichsfeld",
        None,
        "Verwaltungsgemeinschaft Lindenberg/Eichsfeld",
        AuthorityRoleName.ADMIN,
    ),
]


class Command(BaseCommand):
    help = "Legt Demo-Konten für Beschäftigte an (nur im Entwicklungsbetrieb) und gibt ihre Zugangsdaten aus."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="Adresse des Servers")

    @transaction.atomic
    def handle(self, *args: Any, site: str, **options: Any) -> None:
        if not settings.OPENAMT_DEVELOPMENT:
            raise CommandError("Demo-Konten gibt es nur im Entwicklungsbetrieb (openamt.conf.dev).")
        self.stdout.write("Demo-Zugänge (Passwörter werden bei jedem Start neu vergeben):")
        for username, label, land_role, authority_name, role in DEMO_STAFF:
            authority = (
                Authority.objects.filter(name=authority_name).first() if authority_name else None
            )
            if authority_name and authority is None:
                continue
            user, password = _login(username, label, operator=land_role == LandRoleName.OPERATOR)
            if land_role:
                land_role_grant(actor=None, user=user, role=land_role)
            if authority and role:
                authority_role_grant(actor=None, user=user, authority=authority, role=role)
            self.stdout.write(f"  {username:<24} {password:<20} {authority_name or label}")
        self.stdout.write(
            "Eingang der Behörden, an die die Beispielanträge gehen (Sachbearbeitung):"
        )
        for authority, titles in demo_routes().items():
            username = f"sb.{slugify(authority.name)}"[:150]
            user, password = _login(username, f"Sachbearbeitung {authority.name}")
            authority_role_grant(
                actor=None, user=user, authority=authority, role=AuthorityRoleName.CASEWORKER
            )
            self.stdout.write(
                f"  {username:<24} {password:<20} {authority.name} ({', '.join(titles)})"
            )
        self.stdout.write(f"Anmeldung: {site.rstrip('/')}/verwaltung/anmelden/")


def _login(username: str, label: str, *, operator: bool = False) -> tuple[User, str]:
    """A demo user with a fresh password."""
    user, _ = User.objects.get_or_create(username=username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.first_name = label[:150]
    # The operator works in the Django admin.
    user.is_staff = user.is_superuser = operator
    user.save()
    return user, password
