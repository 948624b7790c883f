from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openamt.cases"
    verbose_name = "Vorgangsbearbeitung"

    def ready(self) -> None:
        # Replies to a case's Postfach messages land in its file (see the
        # registry's docstring in mailbox.services for why a registry).
        # A Bescheid's first opening records its Bekanntgabe at once.
        from openamt.cases.decisions import decision_retrieved
        from openamt.cases.messages import case_reply_receive
        from openamt.mailbox.services import open_receiver_register, reply_receiver_register

        reply_receiver_register(case_reply_receive)
        open_receiver_register(decision_retrieved)
