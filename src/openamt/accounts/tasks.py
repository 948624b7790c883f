"""Mail to account holders goes through the task queue: a slow mail server
never holds up a page, and a failed delivery can be retried."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_account_mail(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
