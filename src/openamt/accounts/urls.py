from django.urls import path

from openamt.accounts import (
    account_views,
    business_views,
    passkey_views,
    password_views,
    profile_views,
    views,
)
from openamt.accounts.contrib.eid_test import views as eid_test_views
from openamt.accounts.contrib.upstream_oidc import views as upstream_views

app_name = "accounts"
urlpatterns = [
    path("", account_views.home, name="home"),
    path("registrieren/", views.register, name="register"),
    path("bestaetigen/<str:token>/", views.verify, name="verify"),
    path("anmelden/", views.login, name="login"),
    path("anmelden/zweiter-faktor/", views.login_second_factor, name="login-second-factor"),
    path("anmelden/eid-test/", eid_test_views.eid_test, name="eid-test"),
    path("anmelden/extern/", upstream_views.start, name="upstream-start"),
    path("anmelden/extern/antwort/", upstream_views.callback, name="upstream-callback"),
    path("anmelden/passkey/optionen/", passkey_views.login_options, name="login-passkey-options"),
    path("anmelden/passkey/", passkey_views.login_verify, name="login-passkey"),
    path("abmelden/", views.logout_view, name="logout"),
    path("passwort/vergessen/", password_views.ResetView.as_view(), name="password-reset"),
    path(
        "passwort/verschickt/", password_views.ResetSentView.as_view(), name="password-reset-sent"
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        password_views.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "passwort/gesetzt/",
        password_views.ResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("passwort/aendern/", password_views.ChangeView.as_view(), name="password-change"),
    path("passkeys/", passkey_views.passkeys, name="passkeys"),
    path("passkeys/optionen/", passkey_views.options, name="passkey-options"),
    path("passkeys/hinzufuegen/", passkey_views.add, name="passkey-add"),
    path("passkeys/<int:pk>/entfernen/", passkey_views.remove, name="passkey-remove"),
    path("zweiter-faktor/", account_views.second_factor, name="second-factor"),
    path("sitzungen/", account_views.sessions, name="sessions"),
    path("sitzungen/<int:pk>/beenden/", account_views.session_end, name="session-end"),
    path("sicherheit/", account_views.security_log, name="security-log"),
    path("profil/", profile_views.profile, name="profile"),
    path("datenschutz/", profile_views.privacy, name="privacy"),
    path("datenschutz/daten.json", profile_views.export_json, name="privacy-json"),
    path("datenschutz/daten.pdf", profile_views.export_pdf, name="privacy-pdf"),
    path("datenschutz/loeschen/", profile_views.delete, name="delete"),
    path("unternehmen/", business_views.business_list, name="business-list"),
    path("unternehmen/<int:pk>/", business_views.business_detail, name="business-detail"),
    path(
        "unternehmen/<int:pk>/mitglieder/<int:member_pk>/rolle/",
        business_views.member_role,
        name="business-member-role",
    ),
    path(
        "unternehmen/<int:pk>/mitglieder/<int:member_pk>/entfernen/",
        business_views.member_delete,
        name="business-member-delete",
    ),
]
