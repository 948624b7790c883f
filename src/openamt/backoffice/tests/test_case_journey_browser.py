"""The acceptance test of case work (Vorgangsbearbeitung) in Debian's headless
Chromium, axe-core on every page: a citizen applies for a Bewohnerparkausweis
in Erfurt; a caseworker of the authority responsible opens the case from the
Eingang, takes it and asks for a document (Nachforderung); the citizen
uploads it in the Postfach and the case is back "in Bearbeitung" with the
document in its file; the caseworker drafts the Bescheid with its fee, a
colleague signs it off (Mitzeichnung), the caseworker issues it; the sealed
PDF/A reaches the Postfach, the citizen opens it; the case page shows the
proof of access, the Bekanntgabe and the end of the objection period; the
case is closed; every step is in the audit log, in order."""

import datetime
import hashlib
import io
import re
from pathlib import Path

import pikepdf
import pytest
from django.db.models import Q
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import (
    BekanntgabeChannel,
    Case,
    Decision,
    DecisionTemplate,
    InformationRequest,
)
from openamt.cases.rules import bekanntgabe_compute
from openamt.catalogue.models import Service
from openamt.core.models import AuditEntry
from openamt.forms.services import forms_load
from openamt.forms.tests.test_shipped import DATA_DIR
from openamt.mailbox.models import Message, Reply
from openamt.mailbox.services import mailbox_open
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.seals import seal_validate
from openamt.organisations.services import authority_role_grant
from openamt.responsibility.selectors import responsibility_find
from openamt.submissions.selectors import gemeinde_find
from openamt.testing.accounts import HOLDER_PASSWORD, make_holder
from openamt.testing.browser import (
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    axe_violations,
    chromium_page,
    horizontal_overflow,
)
from openamt.testing.data import THURINGIA, load_register
from openamt.testing.documents import sample_pdf

pytestmark = BROWSER_TEST
ERFURT = "16051000"
PARKING = "99108001001000"  # Bewohnerparkausweis (the form's leika_key)
FORM = f"/antrag/bewohnerparkausweis/?ort={ERFURT}"
CITIZEN = "bewohnerin@example.org"
PASSWORD = "ein-langes-test-passwort"
REMEDY = (
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
    "bei der Stadtverwaltung Erfurt erhoben werden."
)
ASKED = "Meldebescheinigung für die Anschrift in der Bewohnerparkzone"


def _staff(username: str, first: str, last: str, authority) -> None:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    authority_role_grant(
        actor=None, user=user, authority=authority, role=AuthorityRoleName.CASEWORKER
    )


@pytest.fixture
def site(live_server, data_files, transactional_db, tmp_path):
    """Made before the browser starts (Playwright's event loop forbids ORM calls):
    the register and the shipped forms, the authority the
    portal finds responsible for the service in Erfurt with two caseworkers and
    a decision template that needs a second signature, and the citizen."""
    load_register(data_files, land=THURINGIA)
    forms_load(directory=DATA_DIR)
    service = Service.objects.get(leika_key=PARKING)
    place = gemeinde_find(ags=ERFURT)
    finding = responsibility_find(service=service, region=place)
    authority = finding.authority
    assert authority.name == "Stadtverwaltung Erfurt"
    _staff("erfurt.sb", "Jana", "Roth", authority)
    _staff("erfurt.zweite", "Paul", "Keller", authority)
    DecisionTemplate.objects.create(
        authority=authority,
        service=service,
        title="Bewohnerparkausweis erteilen",
        subject="Bescheid über Ihren Bewohnerparkausweis {{ aktenzeichen }}",
        operative="Der Bewohnerparkausweis für {{ antragsteller }} wird erteilt.",
        reasons="Der Antrag ist am {{ eingangsdatum }} eingegangen und vollständig.",
        fee_cents=0,
        fee_legal_basis="Gebühren-Nr. 265 der Gebührenordnung für Maßnahmen im Straßenverkehr",
        legal_remedy=REMEDY,
        cosign_required=True,
    )
    holder = make_holder(CITIZEN)
    mailbox_open(account=holder.account)
    files = {}
    for name, title in [
        ("zulassung.pdf", "Zulassungsbescheinigung Teil I"),
        ("meldebescheinigung.pdf", "Meldebescheinigung"),
    ]:
        files[name] = tmp_path / name
        files[name].write_bytes(sample_pdf(title))
    return {"url": live_server.url, "files": files}


def _checked(page) -> None:
    """No serious accessibility problem on the page, once it has loaded."""
    page.wait_for_load_state()
    assert axe_violations(page) == []


def _flash(page) -> str:
    """The confirmation the page shows after a step (Django's success message)."""
    return page.locator(".kern-alert--success[role=status] .kern-title").inner_text()


def _staff_page(browser, url: str, username: str):
    """A page of its own (own cookies) for a member of staff, logged in."""
    context = browser.new_context(bypass_csp=True, locale="de-DE", viewport=DESKTOP)
    page = context.new_page()
    page.goto(url + "/verwaltung/anmelden/")
    _checked(page)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(url + "/verwaltung/")
    return page


def _fact(page, key: str) -> str:
    """The value next to `key` in the case page's decision panel."""
    item = page.locator("#bescheide .kern-description-list-item").filter(
        has=page.locator("dt", has_text=key)
    )
    return item.locator("dd").inner_text()


def _apply(page, site: dict, valid_from: datetime.date) -> str:
    """The citizen logs in, fills in the form and submits it; its reference."""
    url = site["url"]
    page.goto(url + "/konto/anmelden/")
    _checked(page)
    page.get_by_label("E-Mail-Adresse").fill(CITIZEN)
    page.get_by_label("Passwort", exact=True).fill(HOLDER_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(url + "/konto/")
    _checked(page)
    page.goto(url + FORM)
    assert page.get_by_role("heading", level=1).inner_text() == "Bewohnerparkausweis beantragen"
    main = page.locator("main").inner_text()
    assert "Online-Antrag für Erfurt" in main
    assert "Stadtverwaltung Erfurt" in main
    _checked(page)
    page.get_by_role("button", name="Antrag beginnen").click()

    assert "Schritt 1 von 5" in page.locator("main").inner_text()
    page.fill("#f-vorname", "Erika")
    page.fill("#f-familienname", "Mustermann")
    page.fill("#f-geburtsdatum", "1985-04-12")
    page.fill("#f-anschrift-street", "Johannesstraße 12")
    page.fill("#f-anschrift-postcode", "99084")
    page.fill("#f-anschrift-city", "Erfurt")
    page.check("#f-wohnung-1")  # Hauptwohnung
    page.fill("#f-zone", "A3")
    _checked(page)
    page.get_by_role("button", name="Weiter", exact=True).click()

    assert "Schritt 2 von 5" in page.locator("main").inner_text()
    page.fill("#f-kennzeichen", "EF-AB 123")
    page.check("#f-halter-ja")
    page.locator("#f-zulassung").wait_for(state="visible")  # shown by the answer
    page.set_input_files("#f-zulassung", str(site["files"]["zulassung.pdf"]))
    _checked(page)
    page.get_by_role("button", name="Weiter", exact=True).click()

    assert "Schritt 3 von 5" in page.locator("main").inner_text()
    page.fill("#f-gueltig-ab", valid_from.isoformat())
    page.check("#f-dauer-1")  # 1 Jahr
    _checked(page)
    page.get_by_role("button", name="Weiter", exact=True).click()

    assert "Schritt 4 von 5" in page.locator("main").inner_text()
    page.check("#f-erklaerung")
    _checked(page)
    page.get_by_role("button", name="Weiter", exact=True).click()

    summary = page.locator("main").inner_text()
    assert "30,70 €" in summary  # the form's fee for one year
    assert "zulassung.pdf" in summary
    _checked(page)
    page.check("#versicherung")
    page.get_by_role("button", name="Antrag verbindlich absenden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ihr Antrag ist eingegangen"
    _checked(page)
    return page.inner_text("#aktenzeichen")


def test_an_application_goes_through_case_work_to_a_closed_case(site):
    url = site["url"]
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=14)
    shown: dict[str, str] = {}
    with chromium_page() as citizen:
        browser = citizen.context.browser
        reference = _apply(citizen, site, today + datetime.timedelta(days=7))

        # The caseworker opens the application from the Eingang of her authority.
        worker = _staff_page(browser, url, "erfurt.sb")
        _checked(worker)
        worker.get_by_role("link", name="Stadtverwaltung Erfurt").click()
        assert worker.get_by_role("heading", level=1).inner_text() == "Stadtverwaltung Erfurt"
        _checked(worker)
        worker.get_by_role("link", name="Eingang").click()
        row = worker.locator("#vorgaenge tr", has_text=reference)
        cells = row.locator("td").all_inner_texts()
        assert cells[2:5] == ["Erika Mustermann", "Bewohnerparkausweis Erteilung", "neu"]
        _checked(worker)
        row.get_by_role("link", name=reference).click()
        file_number = worker.get_by_role("heading", level=1).inner_text().removeprefix("Vorgang ")
        subject = f"Bescheid über Ihren Bewohnerparkausweis {file_number}"
        assert worker.inner_text("#status") == "neu"
        assert worker.inner_text("#bearbeitung") == "niemand"
        akte = worker.inner_text("#akte")
        assert "Antrag\tAntrag Bewohnerparkausweis beantragen" in akte
        assert "Anlage\tzulassung.pdf" in akte
        _checked(worker)
        case_url = worker.url

        worker.get_by_role("button", name="Mir zuweisen").click()
        assert _flash(worker) == "Der Vorgang ist Ihnen zugewiesen."
        assert worker.inner_text("#bearbeitung") == "Jana Roth"
        assert worker.inner_text("#status") == "neu"
        _checked(worker)

        # The Nachforderung: one document, as a file, by a deadline.
        worker.get_by_role("link", name="Nachricht senden oder Nachforderung stellen").click()
        _checked(worker)
        worker.get_by_role("textbox", name=re.compile("^Unterlage oder Angabe 1")).fill(ASKED)
        worker.check("#id_file_1")
        worker.get_by_label("Frist (letzter Tag)").fill(deadline.isoformat())
        worker.get_by_label("Hinweis an den Antragsteller").fill("Bitte als PDF.")
        worker.get_by_role("button", name="Nachforderung senden").click()
        assert _flash(worker) == (
            "Die Nachforderung wurde in das Postfach zugestellt; "
            "der Vorgang wartet auf den Antragsteller."
        )
        requests = worker.inner_text("#nachforderungen")
        assert re.search(rf"^offen\s+· Frist {deadline:%d\.%m\.%Y}$", requests, re.M)
        assert f"{ASKED} (Datei erwartet)" in requests
        _checked(worker)
        worker.goto(case_url)
        assert worker.inner_text("#status") == "wartet auf Antragsteller"
        _checked(worker)

        # The citizen sees what is asked and by when, and answers in the Postfach.
        citizen.goto(url + "/antrag/meine/")
        status = citizen.locator(".application-status").inner_text()
        assert "Die Behörde braucht noch etwas von Ihnen." in status
        assert f"{ASKED} (als Datei)" in status
        assert f"Bitte antworten Sie bis zum {deadline:%d.%m.%Y}" in status
        _checked(citizen)
        citizen.get_by_role("link", name="Nachforderung in Ihrem Postfach").click()
        assert citizen.get_by_role("heading", level=1).inner_text() == (
            f"Nachforderung zu Ihrem Antrag {reference}"
        )
        body = citizen.inner_text(".message-body")
        assert f"- {ASKED} (bitte als Datei hochladen)" in body
        assert f"Bitte antworten Sie bis zum {deadline:%d.%m.%Y}" in body
        _checked(citizen)
        citizen.get_by_label("Ihre Antwort").fill("Anbei die Meldebescheinigung.")
        citizen.set_input_files("#id_attachments", str(site["files"]["meldebescheinigung.pdf"]))
        citizen.get_by_role("button", name="Antwort senden").click()
        assert _flash(citizen) == "Ihre Antwort wurde an die Behörde übermittelt."
        assert "meldebescheinigung.pdf" in citizen.inner_text("main")
        _checked(citizen)

        # Back in the case: in progress again, the document in the file.
        worker.goto(case_url)
        assert worker.inner_text("#status") == "in Bearbeitung"
        akte = worker.inner_text("#akte")
        assert "Anlage\tmeldebescheinigung.pdf" in akte
        answer = f"Antwort des Antragstellers\tAntwort: Nachforderung zu Ihrem Antrag {reference}"
        assert answer in akte
        assert "beantwortet am" in worker.inner_text("#nachforderungen")
        _checked(worker)

        # The Bescheid from the template, with its fee, to the second signature.
        template = worker.get_by_label("Vorlage", exact=True)
        template.select_option(label="Bewohnerparkausweis erteilen")
        worker.get_by_role("button", name="Bescheid entwerfen").click()
        assert _flash(worker) == "Der Entwurf ist angelegt."
        assert worker.get_by_label("Entscheidung (Tenor)").input_value() == (
            "Der Bewohnerparkausweis für Erika Mustermann wird erteilt."
        )
        _checked(worker)
        worker.get_by_label("Gebühr in Euro").fill("30,70")
        worker.get_by_role("button", name="Entwurf speichern").click()
        assert _flash(worker) == "Der Entwurf ist gespeichert."
        assert worker.get_by_label("Gebühr in Euro").input_value() == "30,70"
        _checked(worker)
        worker.get_by_role("button", name="Zur Mitzeichnung geben").click()
        assert _flash(worker) == "Der Bescheid liegt zur Mitzeichnung vor."
        assert worker.inner_text(".decision-status") == "zur Mitzeichnung"
        assert "Gebühr: 30,70 €" in worker.inner_text(".decision-text")
        _checked(worker)
        decision_url = worker.url

        second = _staff_page(browser, url, "erfurt.zweite")
        _checked(second)
        second.goto(case_url)
        _checked(second)
        second.locator("#bescheide h3").get_by_role("link").click()
        assert second.url == decision_url
        _checked(second)
        second.get_by_role("button", name="Mitzeichnen").click()
        assert _flash(second) == "Sie haben den Bescheid mitgezeichnet; er ist freigegeben."
        assert second.inner_text(".decision-status") == "freigegeben"
        _checked(second)

        worker.goto(decision_url)
        assert "mitgezeichnet von Paul Keller" in worker.inner_text("main")
        _checked(worker)
        worker.get_by_role("button", name="Erlassen").click()
        assert _flash(worker) == (
            "Der Bescheid ist erlassen, gesiegelt und in der Akte. "
            "Er ist im Postfach des Antragstellers zum Abruf bereitgestellt."
        )
        _checked(worker)
        worker.goto(case_url)
        assert worker.inner_text("#status") == "entschieden"
        assert _fact(worker, "Bekanntgabe durch") == "Postfach"
        shown["not_yet"] = _fact(worker, "Abgerufen (Zugangsnachweis)")
        assert _fact(worker, "Bekannt gegeben am") == "noch nicht"
        assert f"Bescheid\t{subject}\t" in worker.inner_text("#akte")
        _checked(worker)

        # The citizen finds the sealed decision in the Postfach and opens it.
        citizen.goto(url + "/konto/postfach/")
        listing = citizen.locator("tr", has_text=subject)
        assert listing.locator(".kern-badge").inner_text() == "Bescheid"
        assert listing.locator("[data-label=Status]").inner_text() == "neu"
        _checked(citizen)
        citizen.set_viewport_size(PHONE)
        assert horizontal_overflow(citizen) == []
        citizen.set_viewport_size(DESKTOP)
        listing.get_by_role("link").click()
        assert "Bescheid · Stadtverwaltung Erfurt" in citizen.inner_text(".kern-subline")
        _checked(citizen)
        citizen.set_viewport_size(PHONE)
        assert horizontal_overflow(citizen) == []
        citizen.set_viewport_size(DESKTOP)
        with citizen.expect_download() as downloaded:
            citizen.get_by_role("link", name=f"Bescheid {file_number}.pdf").click()
        shown["filename"] = downloaded.value.suggested_filename
        pdf = Path(downloaded.value.path()).read_bytes()

        # The caseworker sees the proof of access and the dates it starts.
        worker.goto(case_url)
        shown["retrieved"] = _fact(worker, "Abgerufen (Zugangsnachweis)")
        shown["made_known"] = _fact(worker, "Bekannt gegeben am")
        shown["remedy_ends"] = _fact(worker, "Widerspruchsfrist endet")
        shown["notified"] = _fact(worker, "Zum Abruf bereitgestellt")
        _checked(worker)

        worker.get_by_label("Neuer Status").select_option(label="abgeschlossen")
        worker.get_by_label("Begründung").fill("Bescheid bekannt gegeben")
        worker.get_by_role("button", name="Status ändern").click()
        assert _flash(worker) == "Der Vorgang ist jetzt „abgeschlossen“."
        assert worker.inner_text("#status") == "abgeschlossen"
        _checked(worker)

        citizen.goto(url + "/antrag/meine/")
        assert citizen.locator(".application-status").inner_text() == (
            "Die Bearbeitung ist abgeschlossen."
        )
        _checked(citizen)

    case = Case.objects.select_related("assignee", "submission").get()
    assert (case.reference, case.status, case.assignee.username) == (
        reference,
        CaseStatus.CLOSED,
        "erfurt.sb",
    )
    assert case.submission.user.email == CITIZEN
    request = InformationRequest.objects.get(case=case)
    assert (request.status, request.deadline) == (InformationRequest.Status.ANSWERED, deadline)
    assert case.documents.filter(
        kind=DocumentKind.ATTACHMENT, title="meldebescheinigung.pdf"
    ).exists()

    decision = Decision.objects.select_related("document__document", "message").get(case=case)
    assert (decision.status, decision.route, decision.fee_cents) == (
        Decision.Status.ISSUED,
        Decision.Route.MAILBOX,
        3070,
    )
    assert (decision.author.username, decision.cosigner.username) == ("erfurt.sb", "erfurt.zweite")
    # The download is the sealed PDF/A filed in the case.
    assert shown["filename"] == f"Bescheid {case.file_number}.pdf"
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == decision.document.document.sha256
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.open_metadata().pdfa_status in ("2B", "3B")
    check = seal_validate(pdf=pdf)
    assert (check.intact, check.valid, check.trusted, check.whole_document) == (True,) * 4

    # Proof of access and the dates the law attaches to it, as the page shows them.
    message = decision.message
    opened = timezone.localtime(message.first_opened_at)
    notified_on = timezone.localtime(decision.notified_at).date()
    expected = bekanntgabe_compute(
        channel=BekanntgabeChannel.RETRIEVAL, notified_on=notified_on, retrieved_on=opened.date()
    )
    assert expected.made_known_on == opened.date() + datetime.timedelta(days=1)
    last_day = expected.retrieval_last_day
    assert shown["not_yet"] == f"noch nicht (Abruf zählt bis {last_day:%d.%m.%Y})"
    assert shown["notified"] == f"{timezone.localtime(decision.notified_at):%d.%m.%Y %H:%M}"
    assert shown["retrieved"] == f"{opened:%d.%m.%Y %H:%M}"
    assert shown["made_known"] == f"{expected.made_known_on:%d.%m.%Y}"
    assert shown["remedy_ends"] == f"{expected.objection_period_ends_on:%d.%m.%Y}"

    # Every step in the audit log, in order, with who took it: the application,
    # the case, and the Postfach messages and the reply that belong to it.
    messages = {m.pk: m for m in Message.objects.filter(reference=case.reference)}
    replies = Reply.objects.filter(message__in=messages).values_list("pk", flat=True)
    targets = Q(object_type="submissions.submission", object_id=str(case.submission_id))
    targets |= Q(object_type="cases.case", object_id=str(case.pk))
    targets |= Q(object_type="mailbox.message", object_id__in=[str(pk) for pk in messages])
    targets |= Q(object_type="mailbox.reply", object_id__in=[str(pk) for pk in replies])
    names = {user.pk: user.username for user in User.objects.all()}
    trail = [
        (_step(entry, messages), names.get(entry.actor_id, "System"))
        for entry in AuditEntry.objects.filter(targets).order_by("id")
    ]
    holder, clerk, system = CITIZEN, "erfurt.sb", "System"
    request_subject = f"„Nachforderung zu Ihrem Antrag {reference}“"
    decision_subject = f"„{decision.subject}“"
    assert trail == [
        ("submission.submit", holder),
        ("case.open", system),
        ("case.document_add", system),  # the application as PDF
        ("case.document_add", system),  # its attachment, the Zulassungsbescheinigung
        ("submission.delivered", system),
        (f"message.deliver „Eingangsbestätigung {reference}“", system),
        ("case.assign", clerk),
        ("case.transition neu → wartet_antragsteller", clerk),
        (f"message.deliver {request_subject}", system),
        ("case.document_add", clerk),  # the Nachforderung as PDF
        ("case.message_send", clerk),
        ("case.request_create", clerk),
        (f"message.open {request_subject}", holder),
        ("message.reply", holder),
        ("case.document_add", holder),  # the reply as PDF
        ("case.document_add", holder),  # the Meldebescheinigung
        ("case.request_answer", holder),
        ("case.transition wartet_antragsteller → in_bearbeitung", system),
        ("decision.draft", clerk),
        ("decision.update", clerk),
        ("decision.submit", clerk),
        ("decision.cosign", "erfurt.zweite"),
        ("case.document_add", clerk),  # the sealed Bescheid
        (f"message.deliver {decision_subject}", system),
        ("case.transition in_bearbeitung → entschieden", clerk),
        ("decision.issue", clerk),
        (f"message.open {decision_subject}", holder),  # the proof of access
        ("decision.made_known", system),  # recorded with the opening
        ("case.transition entschieden → abgeschlossen", clerk),
    ]


def _step(entry: AuditEntry, messages: dict[int, Message]) -> str:
    """An audit entry as the trail reads it: its action, with the statuses of a
    transition or the subject of the Postfach message it is about."""
    if entry.action == "case.transition":
        return "case.transition " + " → ".join(entry.changes["status"])
    if entry.object_type == "mailbox.message":
        return f"{entry.action} „{messages[int(entry.object_id)].subject}“"
    return entry.action
