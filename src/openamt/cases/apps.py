from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openamt.cases"
    verbose_name = "Vorgangsbearbeitung"

    def ready(self) -> None:
        # Replies to a case's Postfach messages land in its file (see the
        # registry's docstring in mailbox.services for why a registry).
        from openamt.cases.messages import case_reply_receive
        from openamt.mailbox.services import reply_receiver_register

        reply_receiver_register(case_reply_receive)
