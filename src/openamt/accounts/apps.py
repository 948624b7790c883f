from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openamt.accounts"
    label = "accounts"
    verbose_name = "Benutzerkonten"
