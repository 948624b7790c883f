from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "openamt.mailbox"
    verbose_name = "Postfach"

    def ready(self) -> None:
        from typing import Any

        from openamt.accounts.signals import account_confirmed
        from openamt.mailbox.services import mailbox_for

        def open_mailbox(sender: Any, account: Any, **kwargs: Any) -> None:
            mailbox_for(account)

        account_confirmed.connect(open_mailbox, dispatch_uid="openamt.mailbox.open")
