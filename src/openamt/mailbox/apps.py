from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "openamt.mailbox"
    verbose_name = "Postfach"

    def ready(self) -> None:
        from openamt.accounts.signals import account_confirmed
        from openamt.mailbox.services import open_mailbox

        account_confirmed.connect(open_mailbox, dispatch_uid="openamt.mailbox.open")
