from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "openamt.mailbox"
    verbose_name = "Postfach"

    def ready(self) -> None:
        from openamt.accounts.signals import account_confirmed, business_created
        from openamt.mailbox.services import open_business_mailbox, open_mailbox

        account_confirmed.connect(open_mailbox, dispatch_uid="openamt.mailbox.open")
        business_created.connect(
            open_business_mailbox, dispatch_uid="openamt.mailbox.open_business"
        )
