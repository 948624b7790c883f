"""Reads of the Postfach: the holder sees their messages, an authority what it sent."""

from django.db.models import Count, QuerySet

from openamt.accounts.models import User
from openamt.mailbox.models import Message
from openamt.mailbox.services import accessible
from openamt.organisations.models import Authority


def messages_of(*, user: User) -> QuerySet[Message]:
    """The user's own messages and those of their businesses, newest first."""
    return (
        Message.objects.filter(accessible(user))
        .select_related("sender", "mailbox__business")
        .only(
            "public_id",
            "subject",
            "is_decision",
            "delivered_at",
            "first_opened_at",
            "sender__name",
            "mailbox__business__name",
        )
        .order_by("-delivered_at", "-id")
    )


def sent_by(*, authority: Authority) -> QuerySet[Message]:
    return (
        Message.objects.filter(sender=authority)
        .annotate(reply_count=Count("replies"))
        .only("public_id", "subject", "is_decision", "delivered_at", "first_opened_at", "reference")
        .order_by("-delivered_at", "-id")
    )
