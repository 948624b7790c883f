from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "openamt.mailbox"
    verbose_name = "Postfach"
