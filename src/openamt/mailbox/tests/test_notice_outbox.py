"""The "new message" notice is stored with the message (transactional outbox):
a crash right after the commit, before any task ran, loses no notice, and a
message that rolls back leaves no notice behind."""

import pytest
from django.core import mail
from django.db import transaction

from openamt.accounts.models import User
from openamt.core.models import OutboxMail
from openamt.core.outbox import outbox_run_due
from openamt.mailbox.models import Message
from openamt.mailbox.services import mailbox_for, message_deliver
from openamt.testing.accounts import make_holder


@pytest.fixture
def anna(register) -> User:
    return make_holder("anna@example.org")


def _deliver(erfurt, anna):
    return message_deliver(
        sender=erfurt,
        address=mailbox_for(anna.account).address,
        subject="Ihr Bescheid über die Hundesteuer",
        body="Anbei Ihr Bescheid.",
    )


def test_the_notice_is_stored_with_the_message_and_sent_by_the_outbox(anna, erfurt):
    message, created = _deliver(erfurt, anna)  # no on-commit callback ever runs here
    assert created
    notice = OutboxMail.objects.get()
    assert (notice.key, notice.recipients, notice.status) == (
        f"postfach.{message.public_id}.{anna.pk}",
        ["anna@example.org"],
        "offen",
    )
    assert mail.outbox == []
    assert outbox_run_due()["mail"] == 1
    assert outbox_run_due()["mail"] == 0
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["anna@example.org"], "Neue Nachricht in Ihrem Postfach")
    assert sent.extra_headers["Message-ID"] == f"<{notice.key}@127.0.0.1>"


def test_a_message_rolled_back_leaves_no_notice(anna, erfurt):
    def crash_before_commit() -> None:
        with transaction.atomic():
            _deliver(erfurt, anna)
            raise RuntimeError("Absturz vor dem Commit")

    with pytest.raises(RuntimeError):
        crash_before_commit()
    assert not Message.objects.exists()
    assert not OutboxMail.objects.exists()
    assert outbox_run_due()["mail"] == 0
    assert mail.outbox == []
