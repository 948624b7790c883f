"""Every page a citizen can reach, on a phone (390 px) and a desktop (1280 px),
in Debian's headless Chromium: no page scrolls sideways outside a focusable
scroll region, and axe-core finds no serious accessibility problem. The walk
fails when a citizen page is added without being walked here."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import get_resolver, resolve

from openamt.accounts.business import business_create
from openamt.accounts.models import Account, User
from openamt.accounts.profile import profile_save_self
from openamt.accounts.services import VERIFY_SALT
from openamt.forms.services import forms_load
from openamt.forms.tests.test_shipped import DATA_DIR, EXAMPLES_DIR
from openamt.mailbox.services import mailbox_for, message_deliver
from openamt.organisations.models import Authority
from openamt.submissions.models import Draft, Submission
from openamt.testing.accounts import HOLDER_PASSWORD, holder_client, make_holder
from openamt.testing.browser import (
    BROWSER_TEST,
    VIEWPORTS,
    axe_violations,
    chromium_page,
    horizontal_overflow,
)
from openamt.testing.data import THURINGIA, load_register
from openamt.testing.forms import step_post

pytestmark = BROWSER_TEST
CITIZEN_NAMESPACES = ("portal", "accounts", "mailbox", "submissions")
# Views of the citizen's namespaces that render no page of their own, or whose
# page is walked elsewhere.
NOT_PAGES = {
    "accounts:logout": "POST, leads to the login page",
    "accounts:session-end": "POST, leads to the sessions page",
    "accounts:business-member-role": "POST, leads to the business page",
    "accounts:business-member-delete": "POST, leads to the business page",
    "accounts:passkey-options": "JSON for the page script",
    "accounts:passkey-add": "JSON for the page script",
    "accounts:passkey-remove": "POST, leads to the passkeys page",
    "accounts:login-passkey-options": "JSON for the page script",
    "accounts:login-passkey": "JSON for the page script",
    "accounts:privacy-json": "a download",
    "accounts:privacy-pdf": "a download",
    "accounts:upstream-start": "leads to the external identity provider",
    "accounts:upstream-callback": "comes back from the external identity provider",
    "accounts:login-second-factor": "walked in submissions/tests/test_browser_journey.py",
    "mailbox:document": "a download",
    "mailbox:reply-document": "a download",
    "submissions:draft-delete": "POST, leads to Meine Anträge",
    "submissions:receipt": "a download",
    "submissions:resume": "leads to the draft's step",
    "portal:service-result": "a signed search result link, leads to the service page",
}
DOG = "hundesteuer-anmeldung"
ANONYMOUS_FORM = "halteverbotszone-umzug"


def _application(user: User, key: str, *, submit: bool) -> Draft | Submission:
    """An application of the shipped form `key` with its example answers, through the pages."""
    definition = json.loads((DATA_DIR / f"{key}.json").read_text(encoding="utf-8"))
    answers = json.loads((EXAMPLES_DIR / f"{key}.json").read_text(encoding="utf-8"))
    steps = {step["key"]: step for step in definition["definition"]["steps"]}
    client: Client = holder_client(user)
    location = client.post(f"/antrag/{key}/?ort={answers['place']}")["Location"]
    while not location.endswith("/pruefen/"):
        step = steps[re.search(r"/schritt/([^/]+)/$", location).group(1)]
        location = client.post(location, step_post(step, answers["answers"]))["Location"]
    if submit:
        client.post(location, {"versicherung": "1"})
        return Submission.objects.filter(user=user).latest("submitted_at")
    return Draft.objects.filter(user=user).latest("updated_at")


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def site(live_server, data_files, transactional_db, viewport):
    """A holder with everything a citizen's pages show: a profile, a business, a
    message, a draft and a submitted application; a holder who forgot the
    password; an account waiting for confirmation. Made before the browser
    starts (Playwright's event loop forbids ORM calls)."""
    load_register(data_files, land=THURINGIA)
    forms_load(directory=DATA_DIR)
    sender = Authority.objects.get(name="Stadtverwaltung Erfurt")
    user = make_holder(f"walk-{viewport}@example.org")
    make_holder(f"reset-{viewport}@example.org")
    mailbox = mailbox_for(user.account)
    profile_save_self(
        user=user,
        data={
            "given_name": "Maximiliane",
            "family_name": "Schwarzenberg-Hohenlohe",
            "street": "Fischmarkt 1",
            "postcode": "99084",
            "city": "Erfurt",
            "phone": "0361 6550",
        },
    )
    business = business_create(
        actor=user,
        data={
            "name": "Tischlerei und Innenausbau Schwarzenberg-Hohenlohe GmbH & Co. KG",
            "street": "Domplatz 1",
            "postcode": "99084",
            "city": "Erfurt",
            "register_number": "Jena HRB 123456",
            "vat_id": "DE 136 695 976",
        },
    )
    message, _ = message_deliver(
        sender=sender,
        address=mailbox.address,
        subject="Bescheid über die Hundesteuer 2027 für den Hund Bello",
        body="Sehr geehrte Frau Schwarzenberg-Hohenlohe,\nanbei Ihr Bescheid.",
        is_decision=True,
        reference="HST-2027-000123",
    )
    pending = User.objects.create_user(
        username=f"neu-{viewport}@example.org", email=f"neu-{viewport}@example.org"
    )
    token = signing.dumps(
        {"a": Account.objects.create(user=pending).pk, "e": pending.email}, salt=VERIFY_SALT
    )
    draft = _application(user, "kita-anmeldung", submit=False)
    return {
        "url": live_server.url,
        "business": business.pk,
        "message": message.public_id,
        "submission": _application(user, DOG, submit=True).public_id,
        "verify": token,
        "steps": [
            f"/antrag/entwurf/{draft.public_id}/schritt/{step['key']}/"
            for step in draft.version.definition["steps"]
        ],
        "summary": f"/antrag/entwurf/{draft.public_id}/pruefen/",
    }


def _citizen_pages() -> set[str]:
    resolver = get_resolver()
    return {
        f"{namespace}:{name}"
        for namespace in CITIZEN_NAMESPACES
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }


class Walk:
    """Checks each page it is shown and remembers which views it saw."""

    def __init__(self, page, url: str) -> None:
        self.page, self.url, self.seen = page, url, set()

    def check(self) -> None:
        match = resolve(urlsplit(self.page.url).path)
        where = f"{match.view_name} ({self.page.url})"
        overflow = horizontal_overflow(self.page)
        assert overflow == [], f"{where}: {overflow}"
        violations = axe_violations(self.page)
        assert violations == [], f"{where}: {violations}"
        self.seen.add(match.view_name)

    def press(self, button: str) -> None:
        """Press a button that sends a form, and check the page that comes back."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.check()

    def visit(self, path: str) -> None:
        response = self.page.goto(self.url + path)
        assert response.status == 200, path
        self.check()

    def mail_link(self, pattern: str) -> str:
        return re.search(rf"https?://[^/\s]+({pattern})", mail.outbox[-1].body).group(1)


def _walk_without_account(walk: Walk, viewport: str, site: dict) -> None:
    page = walk.page
    for path in (
        "/",
        "/leistungen/?q=Hund",
        "/leistungen/99102013000000/",
        "/leistungen/99102013000000/?ort=37318",  # which Gemeinde?
        "/leistungen/99102013000000/?ort=Moxa",
        "/orte/?q=37318",
        "/orte/?q=Schwarzburg",
        "/orte/160615051119/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/kontakt/",
        f"/antrag/{DOG}/?ort=16075069",
        "/konto/anmelden/",
        "/konto/anmelden/?niveau=substanziell",
        "/konto/anmelden/eid-test/",
        f"/konto/bestaetigen/{site['verify']}/",
        "/konto/registrieren/",
    ):
        walk.visit(path)
    walk.press("Konto anlegen")  # errors on the page

    # A form without an account: save it, the link by mail, and back.
    walk.visit(f"/antrag/{ANONYMOUS_FORM}/?ort=16053000")
    walk.press("Antrag beginnen")
    walk.press("Weiter")  # errors on the page
    walk.press("Speichern und später weitermachen")
    page.get_by_label("Ihre E-Mail-Adresse").fill(f"anonym-{viewport}@example.org")
    walk.press("Link senden")
    walk.visit(walk.mail_link(r"/antrag/fortsetzen/\S+/"))

    # A forgotten password.
    walk.visit("/konto/passwort/vergessen/")
    page.get_by_label("E-Mail-Adresse").fill(f"reset-{viewport}@example.org")
    walk.press("Link anfordern")
    walk.visit(walk.mail_link(r"/konto/passwort/neu/\S+/"))
    new_password = "Holunder-an-der-Werra-8"
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    walk.press("Passwort setzen")


def _walk_with_account(walk: Walk, viewport: str, site: dict) -> None:
    page = walk.page
    walk.visit("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(f"walk-{viewport}@example.org")
    page.get_by_label("Passwort").fill(HOLDER_PASSWORD)
    walk.press("Anmelden")
    for path in (
        "/konto/profil/",
        "/konto/sicherheit/",
        "/konto/sitzungen/",
        "/konto/zweiter-faktor/",
        "/konto/passkeys/",
        "/konto/passwort/aendern/",
        "/konto/datenschutz/",
        "/konto/unternehmen/",
        f"/konto/unternehmen/{site['business']}/",
        "/konto/postfach/",
        f"/konto/postfach/{site['message']}/",
        "/antrag/meine/",
        *site["steps"],
        site["summary"],
        f"/antrag/eingang/{site['submission']}/",
        f"/antrag/{DOG}/?ort=16075069",
    ):
        walk.visit(path)
    walk.press("Antrag beginnen")
    walk.press("Weiter")  # errors, grouped ones too
    walk.visit("/konto/datenschutz/")
    page.get_by_label("Ihr Passwort zur Bestätigung").fill(HOLDER_PASSWORD)
    walk.press("Konto endgültig löschen")


def test_every_citizen_page_fits_the_screen_and_passes_axe(site, viewport):
    with chromium_page(viewport=VIEWPORTS[viewport]) as page:
        walk = Walk(page, site["url"])
        _walk_without_account(walk, viewport, site)
        _walk_with_account(walk, viewport, site)
    unwalked = _citizen_pages() - walk.seen - set(NOT_PAGES)
    assert unwalked == set()


def test_the_overflow_check_can_fail():
    page_with = '<html lang="de"><body style="margin:0"><main>{}</main></body></html>'.format
    wide = '<div style="width:600px">breit</div>'
    with chromium_page(viewport=VIEWPORTS["telefon"]) as page:
        page.set_content(page_with(wide))
        assert horizontal_overflow(page) == [
            "Seite 600 px breit, Fenster 390 px",
            "div ragt 210 px hinaus",
        ]
        page.set_content(page_with(f'<div class="tabelle" style="overflow-x:auto">{wide}</div>'))
        assert horizontal_overflow(page) == [
            "div.tabelle scrollt seitlich, ist aber nicht mit der Tastatur erreichbar"
        ]
        page.set_content(page_with(f'<div tabindex="0" style="overflow-x:auto">{wide}</div>'))
        assert horizontal_overflow(page) == []
