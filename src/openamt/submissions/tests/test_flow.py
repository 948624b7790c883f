"""The online application as a browser without JavaScript uses it: start from the
service page with a place, steps with server-side checks, repeatable groups,
conditional fields, uploads, summary, declaration, submission."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from freezegun import freeze_time

from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.errors import NotFound
from openamt.forms.services import draft_save, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.mailbox.models import Document
from openamt.submissions.models import Attachment, Draft, Submission
from openamt.submissions.services import draft_answer, submission_create
from openamt.submissions.tests.test_submissions import ANSWERS
from openamt.testing.accounts import holder_client, make_holder
from openamt.testing.documents import sample_pdf

MOXA = "16075069"


@pytest.fixture
def holder(dog_form):
    return holder_client(make_holder("erika@example.org"))


def _begin(client: Client) -> tuple[Draft, str]:
    response = client.post(f"/antrag/hundesteuer/?ort={MOXA}")
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert response["Location"] == f"/antrag/entwurf/{draft.public_id}/schritt/halter/"
    return draft, f"/antrag/entwurf/{draft.public_id}"


def _page(response) -> str:
    return response.content.decode()


def test_the_service_page_offers_the_form_for_the_place(dog_form, client):
    page = _page(client.get("/leistungen/99102013000000/", {"ort": MOXA}))
    assert f'href="/antrag/hundesteuer/?ort={MOXA}"' in page
    start = _page(client.get(f"/antrag/hundesteuer/?ort={MOXA}"))
    assert "Verwaltungsgemeinschaft Ranis-Ziegenrück" in start
    assert "Anmelden und Antrag beginnen" in start


def test_without_a_place_the_start_goes_back_to_the_service_page(dog_form, client):
    response = client.get("/antrag/hundesteuer/?ort=Moxa")
    assert response["Location"] == "/leistungen/99102013000000/?ort=Moxa"


def test_a_form_for_account_holders_sends_others_to_the_login(dog_form, client):
    response = client.post(f"/antrag/hundesteuer/?ort={MOXA}")
    assert response.status_code == 302
    assert (
        response["Location"] == "/konto/anmelden/?next=%2Fantrag%2Fhundesteuer%2F%3Fort%3D16075069"
    )
    assert not Draft.objects.exists()


def test_a_higher_assurance_level_needs_a_step_up(dog_form, holder):
    version_publish(
        actor=None,
        version=draft_save(
            actor=None, form=dog_form.form, definition={**DOG, "assurance_level": "substanziell"}
        ),
    )
    response = holder.post(f"/antrag/hundesteuer/?ort={MOXA}")
    assert "niveau=substanziell" in response["Location"]
    assert not Draft.objects.exists()


def test_a_step_is_checked_on_the_server_with_messages_next_to_the_fields(holder):
    _, base = _begin(holder)
    page = _page(holder.get(f"{base}/schritt/halter/"))
    assert "Schritt 1 von 3" in page
    shown = ["vorname", "nachname"]
    response = holder.post(
        f"{base}/schritt/halter/", {"vorname": "Erika", "aktion": "weiter", "__shown": shown}
    )
    assert response.status_code == 422
    page = _page(response)
    assert (
        '<a class="kern-link" href="#f-nachname">Familienname: Bitte füllen Sie dieses Feld aus.</a>'
        in page
    )
    assert 'id="f-nachname-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Erika"' in page  # nothing entered is lost
    response = holder.post(
        f"{base}/schritt/halter/",
        {"vorname": "Erika", "nachname": "Mustermann", "aktion": "weiter"},
    )
    assert response["Location"] == f"{base}/schritt/tiere/"


def _dogs(entries: list[dict], action: str = "weiter", shown: list[str] | None = None, **files):
    data = {"hunde__anzahl": str(len(entries)), "aktion": action, **files}
    for index, entry in enumerate(entries):
        for key, value in entry.items():
            data[f"hunde.{index}.{key}"] = value
    paths = [f"hunde.{i}.{k}" for i, _ in enumerate(entries) for k in ("name", "gefaehrlich")]
    data["__shown"] = ["hunde", *paths, *(shown or [])]
    return data


def test_two_dogs_a_conditional_field_an_upload_and_the_submission(holder):
    _draft, base = _begin(holder)
    holder.post(f"{base}/schritt/halter/", {"vorname": "Erika", "nachname": "Mustermann"})
    step = f"{base}/schritt/tiere/"
    added = holder.post(
        step, _dogs([{"name": "Bello", "gefaehrlich": "nein"}], "hinzufuegen:hunde")
    )
    assert added["Location"] == f"{step}#gruppe-hunde-1"  # the new entry takes the focus
    page = _page(holder.get(step))
    assert '<fieldset class="kern-fieldset group-entry" id="gruppe-hunde-1" tabindex="-1">' in page
    assert "Hund 2</legend>" in page
    assert 'value="Bello"' in page
    # Rex is dangerous: the permit field was not shown, so it appears instead of an error.
    dogs = [{"name": "Bello", "gefaehrlich": "nein"}, {"name": "Rex", "gefaehrlich": "ja"}]
    response = holder.post(step, _dogs(dogs))
    page = _page(response)
    assert response.status_code == 200
    assert "Nach Ihren Antworten sind weitere Angaben nötig." in page
    assert '<div class="form-field" data-path="hunde.1.nachweis">' in page
    assert '<div class="form-field" data-path="hunde.0.nachweis" hidden>' in page
    assert "Bitte prüfen Sie Ihre Angaben" not in page
    pdf = sample_pdf("Erlaubnis für Rex")
    response = holder.post(
        step,
        _dogs(
            dogs,
            shown=["hunde.1.nachweis"],
            **{"hunde.1.nachweis": SimpleUploadedFile("erlaubnis.pdf", pdf)},
        ),
    )
    assert response["Location"] == f"{base}/pruefen/"
    summary = _page(holder.get(f"{base}/pruefen/"))
    assert "Hund 2: Erlaubnis" in summary
    assert "erlaubnis.pdf (1 kB)" in summary
    assert f'href="{base}/schritt/tiere/">ändern' in summary
    refused = holder.post(f"{base}/pruefen/")
    assert refused.status_code == 422
    assert "Bitte bestätigen Sie, dass Ihre Angaben richtig und vollständig sind." in _page(refused)
    assert not Submission.objects.exists()
    response = holder.post(f"{base}/pruefen/", {"versicherung": "1"})
    submission = Submission.objects.get()
    assert response["Location"] == f"/antrag/eingang/{submission.public_id}/"
    assert submission.assurance_level == "niedrig"
    assert submission.answers["hunde"][1]["nachweis"]["name"] == "erlaubnis.pdf"
    assert Attachment.objects.get(submission=submission).document.size == len(pdf)
    assert not Draft.objects.exists()
    done = _page(holder.get(response["Location"]))
    assert submission.reference in done
    assert "Verwaltungsgemeinschaft Ranis-Ziegenrück" in done
    receipt = holder.get(f"/antrag/eingang/{submission.public_id}/quittung.pdf")
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF-")


def test_removing_an_entry_brings_its_group_into_view_and_focus(holder):
    draft, base = _begin(holder)
    holder.post(f"{base}/schritt/halter/", {"vorname": "Erika", "nachname": "Mustermann"})
    step = f"{base}/schritt/tiere/"
    dogs = [{"name": "Bello", "gefaehrlich": "nein"}, {"name": "Rex", "gefaehrlich": "nein"}]
    removed = holder.post(step, _dogs(dogs, "entfernen:hunde:0"))
    assert removed["Location"] == f"{step}#gruppe-hunde"
    draft.refresh_from_db()
    assert [dog["name"] for dog in draft.answers["hunde"]] == ["Rex"]
    assert '<section class="stack form-group" id="gruppe-hunde" tabindex="-1"' in _page(
        holder.get(step)
    )


def test_a_refused_upload_is_named_next_to_its_field_and_nothing_is_stored(holder):
    _, base = _begin(holder)
    dogs = [{"name": "Rex", "gefaehrlich": "ja"}]
    response = holder.post(
        f"{base}/schritt/tiere/",
        _dogs(
            dogs,
            shown=["hunde.0.nachweis"],
            **{"hunde.0.nachweis": SimpleUploadedFile("erlaubnis.pdf", b"%PDF-1.4\n" + EICAR)},
        ),
    )
    assert response.status_code == 422
    page = _page(response)
    assert (
        "Erlaubnis: „erlaubnis.pdf“ enthält Schadsoftware (Eicar-Test-Signature) und wird nicht angenommen."
        in page
    )
    assert 'id="f-hunde-0-nachweis-error"' in page
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()
    assert Draft.objects.get().answers["hunde"][0]["name"] == "Rex"  # the rest is kept


def test_javascript_asks_which_fields_show_and_nothing_is_saved(holder):
    draft, base = _begin(holder)
    response = holder.post(
        f"{base}/schritt/tiere/", _dogs([{"name": "Rex", "gefaehrlich": "ja"}], "sichtbar")
    )
    assert response.json() == {
        "visible": ["hunde", "hunde.0.gefaehrlich", "hunde.0.nachweis", "hunde.0.name"]
    }
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_saved_draft_waits_in_the_account_and_only_there(holder, dog_form):
    _draft, base = _begin(holder)
    response = holder.post(f"{base}/schritt/halter/", {"vorname": "Erika", "aktion": "speichern"})
    assert response["Location"] == f"{base}/schritt/halter/?gespeichert=1"
    assert "Ihr Entwurf ist gespeichert." in _page(holder.get(response["Location"]))
    mine = _page(holder.get("/antrag/meine/"))
    assert f'href="{base}/schritt/halter/">Hundesteuer Anmeldung</a>' in mine
    other = holder_client(make_holder("max@example.org"))
    assert other.get(f"{base}/schritt/halter/").status_code == 404
    assert other.post(f"{base}/loeschen/").status_code == 404
    logged_out = Client()
    assert logged_out.get(f"{base}/schritt/halter/")["Location"].startswith("/konto/anmelden/")
    assert Draft.objects.get().answers == {"vorname": "Erika", "nachname": ""}
    holder.post(f"{base}/loeschen/")
    assert not Draft.objects.exists()


@pytest.fixture
def open_form(dog_form):
    """The dog form, open to applicants without a Servicekonto."""
    return version_publish(
        actor=None,
        version=draft_save(actor=None, form=dog_form.form, definition={**DOG, "anonymous": True}),
    )


def test_without_an_account_a_link_by_e_mail_continues_the_draft(open_form, client):
    draft, base = _begin(client)
    response = client.post(f"{base}/schritt/halter/", {"vorname": "Erika", "aktion": "speichern"})
    assert response["Location"] == f"{base}/speichern/"
    refused = client.post(f"{base}/speichern/", {"email": "erika@"})
    assert refused.status_code == 422
    assert not mail.outbox
    client.post(f"{base}/speichern/", {"email": "erika@example.org"})
    [message] = mail.outbox
    assert "Erika" not in message.body  # the mail carries a link, no answers
    link = re.search(r"http://127\.0\.0\.1:8000(/antrag/fortsetzen/\S+/)", message.body).group(1)
    stranger = Client()
    assert stranger.get(f"{base}/schritt/halter/").status_code == 404
    resumed = stranger.get(link)
    assert resumed["Location"] == f"{base}/schritt/halter/"
    assert 'value="Erika"' in _page(stranger.get(resumed["Location"]))
    with freeze_time(draft.created_at + timedelta(days=8)):
        expired = Client().get(link)
    assert expired.status_code == 410
    assert "Der Link ist abgelaufen" in _page(expired)
    assert Client().get("/antrag/fortsetzen/falsch/").status_code == 404


def test_profile_answers_come_only_with_consent_and_say_where_from(dog_form):
    from openamt.accounts.profile import profile_assert

    user = make_holder("erika@example.org")
    profile_assert(user=user, attributes={"given_name": "Erika"}, source="eid-test", level="hoch")
    client = holder_client(user)
    client.post(f"/antrag/hundesteuer/?ort={MOXA}")  # without consent
    assert Draft.objects.get().answers == {}
    Draft.objects.all().delete()
    client.post(f"/antrag/hundesteuer/?ort={MOXA}", {"profil": "1"})
    draft = Draft.objects.get()
    assert (draft.answers, draft.prefill_consent) == ({"vorname": "Erika"}, True)
    page = client.get(f"/antrag/entwurf/{draft.public_id}/schritt/halter/").content.decode()
    assert '<div class="kern-hint">aus Ihrem Servicekonto (eid-test)</div>' in page


def test_a_form_rule_that_fails_hides_its_field_and_stops_only_at_the_fee(holder, dog_form):
    broken = {**DOG, "steps": [dict(step) for step in DOG["steps"]]}
    broken["steps"][0]["items"] = [
        *DOG["steps"][0]["items"],
        {
            "key": "hinweis",
            "type": "text",
            "label": "Hinweis",
            "show_if": {"*": [{"var": "vorname"}, 2]},  # arithmetic on a name
        },
    ]
    broken["fees"] = [{"key": "gebuehr", "label": "Gebühr", "amount_cents": {"var": "vorname"}}]
    version_publish(
        actor=None, version=draft_save(actor=None, form=dog_form.form, definition=broken)
    )
    _draft, base = _begin(holder)
    answers = {"vorname": "Erika", "nachname": "Muster", "hinweis": "x", "aktion": "weiter"}
    response = holder.post(f"{base}/schritt/halter/", answers)
    assert response["Location"] == f"{base}/schritt/tiere/"
    page = _page(holder.get(f"{base}/schritt/halter/"))
    assert '<div class="form-field" data-path="hinweis" hidden>' in page  # not shown
    holder.post(f"{base}/schritt/tiere/", _dogs([{"name": "Bello", "gefaehrlich": "nein"}]))
    response = holder.get(f"{base}/pruefen/")
    assert response.status_code == 422
    page = _page(response)
    assert '<h1 class="kern-heading-large">Ungültige Eingabe.</h1>' in page
    assert "Das ist ein Fehler im Formular: bitte wenden Sie sich an die zuständige" in page
    assert holder.post(f"{base}/pruefen/", {"versicherung": "1"}).status_code == 422
    assert not Submission.objects.exists()


def test_a_second_submit_of_the_same_draft_shows_the_first_application(open_form, client):
    draft, base = _begin(client)
    draft_answer(draft=draft, answers=ANSWERS, step="tiere")
    first = client.post(f"{base}/pruefen/", {"versicherung": "1"})
    submission = Submission.objects.get()
    assert first["Location"] == f"/antrag/eingang/{submission.public_id}/"
    # The second click arrives after the first was accepted: same confirmation, no new row.
    again = client.post(f"{base}/pruefen/", {"versicherung": "1"})
    assert again["Location"] == first["Location"]
    assert client.get(f"{base}/schritt/halter/")["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    stranger = Client()
    assert stranger.post(f"{base}/pruefen/", {"versicherung": "1"}).status_code == 404
    assert stranger.get(first["Location"]).status_code == 404
    assert Submission.objects.count() == 1


def test_a_submit_that_finds_its_draft_locked_and_gone_gets_the_first_application(
    open_form, client
):
    """The request that waited for the draft's lock finds the draft deleted by
    the first submit (what a parallel click sees on PostgreSQL)."""
    draft, _ = _begin(client)
    draft_answer(draft=draft, answers=ANSWERS, step="tiere")
    stale = Draft.objects.get(pk=draft.pk)  # loaded before the first submit commits
    first = submission_create(draft=draft)
    assert submission_create(draft=stale) == first
    assert Submission.objects.count() == 1
    other, _ = _begin(client)
    other.delete()
    with pytest.raises(NotFound):
        submission_create(draft=other)
    assert Submission.objects.count() == 1
