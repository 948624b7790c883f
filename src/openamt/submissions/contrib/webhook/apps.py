from django.apps import AppConfig


class WebhookConfig(AppConfig):
    name = "openamt.submissions.contrib.webhook"
    label = "delivery_webhook"
    verbose_name = "Zustellweg Webhook"

    def ready(self) -> None:
        from openamt.submissions.contrib.webhook import plugin  # noqa: F401  (registers itself)
