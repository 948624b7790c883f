"""Writes of the portal's own pages."""

from django.db import transaction

from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.organisations import permissions
from openamt.portal.constants import MAX_LEGAL_TEXT, LegalPageKind
from openamt.portal.models import LegalPage
from openamt.portal.selectors import legal_page_get


@transaction.atomic
def legal_page_save(*, actor: User, kind: LegalPageKind, body: str) -> LegalPage | None:
    """A Land admin sets the text of a legal page (Impressum, Datenschutzerklärung,
    Erklärung zur Barrierefreiheit, Kontakt), audited with the text before and after.

    Returns the saved page, or None when the text did not change. Raises
    PermissionDenied for anyone but a Land admin (the operator answers for these
    pages: § 5 DDG, Art. 13 DSGVO, § 12b BITV 2.0) and InvalidInput (field "body")
    for an empty text or one over MAX_LEGAL_TEXT characters.
    """
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration ändert die Rechtstexte des Portals.")
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput("Bitte geben Sie einen Text ein.", field="body")
    if len(body) > MAX_LEGAL_TEXT:
        raise InvalidInput(f"Höchstens {MAX_LEGAL_TEXT:,} Zeichen.".replace(",", "."), field="body")
    before = legal_page_get(kind=kind).body
    if before == body:
        return None
    page, _created = LegalPage.objects.select_for_update().update_or_create(
        kind=kind, defaults={"body": body}
    )
    audit_record(
        actor=actor, action="legal_page.update", target=page, changes={"body": [before, body]}
    )
    return page
