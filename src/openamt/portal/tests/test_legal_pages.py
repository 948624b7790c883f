"""Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit, Kontakt:
there from the start, linked from every page, kept by the Land admins only."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from openamt.core.models import AuditEntry
from openamt.core.views import server_error
from openamt.portal.models import LegalPage

LEGAL = {
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/kontakt/": "Kontakt",
}
FOOTER_LINKS = [
    '<a class="kern-link" href="/impressum/">Impressum</a>',
    '<a class="kern-link" href="/datenschutz/">Datenschutz</a>',
    '<a class="kern-link" href="/barrierefreiheit/">Barrierefreiheit</a>',
    '<a class="kern-link" href="/kontakt/">Kontakt</a>',
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "title"), LEGAL.items())
def test_legal_pages_exist_with_the_starting_text(client, url, title):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="kern-heading-large">{title}</h1>' in html
    assert f"<title>{title} – OpenAmt Thüringen</title>" in html
    assert LegalPage.objects.count() == 0


@pytest.mark.django_db
def test_starting_texts_name_the_required_facts(client):
    impressum = client.get("/impressum/").content.decode()
    assert "Angaben nach § 5 Digitale-Dienste-Gesetz (DDG)" in impressum
    assert "[Straße und Hausnummer]" in impressum  # a placeholder, marked as such
    privacy = client.get("/datenschutz/").content.decode()
    assert '<h2 class="kern-heading-medium">Ihre Rechte</h2>' in privacy
    assert '<a href="https://www.tlfdi.de" rel="nofollow">https://www.tlfdi.de</a>' in privacy
    accessibility = client.get("/barrierefreiheit/").content.decode()
    assert "Barrieren melden: Feedback und Kontakt" in accessibility
    assert "Schlichtungsverfahren" in accessibility
    assert "https://www.schlichtungsstelle-bgg.de" in accessibility


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/leistungen/?q=Hund",
        "/leistungen/99102013000000/",
        "/orte/?q=Erfurt",
        "/konto/anmelden/",
        "/verwaltung/anmelden/",
        "/impressum/",
        "/gibt-es-nicht/",
    ],
)
def test_every_page_links_the_legal_pages_in_its_footer(client, register, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for link in FOOTER_LINKS:
        assert link in footer, (url, link)


def test_unknown_urls_get_the_german_404_page(client, db):
    response = client.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Seite nicht gefunden – OpenAmt Thüringen</title>" in html
    assert '<h1 class="kern-heading-large">Seite nicht gefunden</h1>' in html
    assert client.get("/verwaltung/gibt-es-nicht/").status_code == 404


def test_the_500_page_is_german_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<h1 class="kern-heading-large">Technischer Fehler</h1>' in html
    assert "<title>Technischer Fehler – OpenAmt Thüringen</title>" in html
    assert 'href="/impressum/"' in html


def test_make_run_settings_show_the_german_error_pages(tmp_path):
    import subprocess
    import sys

    # The development settings as `make run` loads them, in a fresh process.
    code = "import openamt.conf.dev as s; print(s.DEBUG, s.OPENAMT_DEVELOPMENT)"
    env = {"OPENAMT_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False True"


def test_land_admin_edits_a_legal_page(client_as, land_admin):
    client = client_as(land_admin)
    page = client.get(reverse("backoffice:legal-edit", args=["impressum"]))
    assert "[Straße und Hausnummer]" in page.content.decode()
    body = "## Herausgeber\n\n- Freistaat Thüringen\n- Musterstraße 1\n\nE-Mail: poststelle@example.org"
    response = client.post(reverse("backoffice:legal-edit", args=["impressum"]), {"body": body})
    assert response.status_code == 302
    assert LegalPage.objects.get(kind="impressum").body == body
    entry = AuditEntry.objects.get(action="legal_page.update")
    assert entry.actor_id == land_admin.pk
    assert entry.changes["body"][1] == body
    html = client.get("/impressum/").content.decode()
    assert '<h2 class="kern-heading-medium">Herausgeber</h2>' in html
    assert "<li>Musterstraße 1</li>" in html
    assert '<a href="mailto:poststelle@example.org">poststelle@example.org</a>' in html
    assert "[Straße und Hausnummer]" not in html


def test_legal_text_is_escaped_not_html(client_as, land_admin):
    client = client_as(land_admin)
    client.post(
        reverse("backoffice:legal-edit", args=["kontakt"]),
        {"body": '<script src="/x.js"></script> Telefon'},
    )
    html = client.get("/kontakt/").content.decode()
    assert '<script src="/x.js">' not in html
    assert "&lt;script src=&quot;/x.js&quot;&gt;&lt;/script&gt; Telefon" in html


def test_empty_legal_text_is_refused_next_to_the_field(client_as, land_admin):
    response = client_as(land_admin).post(
        reverse("backoffice:legal-edit", args=["datenschutz"]), {"body": "   "}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body-error"' in html
    assert "Bitte geben Sie einen Text ein." in html
    assert not LegalPage.objects.exists()
    assert not AuditEntry.objects.filter(action="legal_page.update").exists()


def test_only_land_admins_edit_legal_pages(client_as, erfurt_admin, erfurt_caseworker, operator):
    for user in (erfurt_admin, erfurt_caseworker, operator):
        client = client_as(user)
        for url in (
            reverse("backoffice:legal-list"),
            reverse("backoffice:legal-edit", args=["impressum"]),
        ):
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"body": "Übernahme"}).status_code == 403, (user, url)
    assert not LegalPage.objects.exists()
    assert not AuditEntry.objects.filter(action="legal_page.update").exists()


def test_legal_editor_needs_a_login(client, db):
    response = client.get(reverse("backoffice:legal-edit", args=["impressum"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/anmelden/")


def test_unknown_legal_page_is_404_for_land_admins(client_as, land_admin):
    assert client_as(land_admin).get("/verwaltung/rechtstexte/agb/").status_code == 404


@pytest.mark.django_db
def test_name_and_coat_of_arms_are_settings(client, settings):
    settings.OPENAMT_SITE_NAME = "Serviceportal Musterland"
    settings.OPENAMT_COAT_OF_ARMS = "openamt/wappen.svg"
    html = client.get("/kontakt/").content.decode()
    assert "<title>Kontakt – Serviceportal Musterland</title>" in html
    assert (
        '<img class="site-header__arms" src="/static/openamt/wappen.svg" alt="" height="48">'
        in html
    )
    assert "<span>Serviceportal Musterland</span>" in html
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Serviceportal Musterland" in footer


def test_a_coat_of_arms_from_elsewhere_is_allowed_by_the_policy(settings):
    from openamt.core.middleware import CONTENT_SECURITY_POLICY, content_security_policy

    settings.OPENAMT_COAT_OF_ARMS = "https://bilder.example.org/wappen/land.svg"
    policy = content_security_policy()
    assert "img-src 'self' data: https://bilder.example.org;" in policy
    settings.OPENAMT_COAT_OF_ARMS = ""
    assert content_security_policy() == CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_without_a_coat_of_arms_no_image_is_shown(client):
    assert "site-header__arms" not in client.get("/kontakt/").content.decode()
