"""Log hygiene: no personal data leaves the process through logs."""

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_QUERY = re.compile(r"\?\S*")


class RedactPersonalDataFilter(logging.Filter):
    """Masks e-mail addresses and IBANs and drops query strings from messages.

    Query strings carry search terms (names, addresses); request paths keep
    only their route. Structured extras that are known to be personal are
    removed outright.
    """

    DROP = ("request", "username", "email", "ip_address")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        message = _EMAIL.sub("[e-mail]", message)
        message = _IBAN.sub("[iban]", message)
        message = _QUERY.sub("?[...]", message)
        record.msg = message
        record.args = ()
        for key in self.DROP:
            if key in record.__dict__:
                record.__dict__[key] = "[redacted]"
        return True
