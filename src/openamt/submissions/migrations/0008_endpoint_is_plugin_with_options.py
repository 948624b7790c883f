"""A delivery endpoint stores its plugin id, its public options as JSON and its
secret options sealed, instead of one column per option of two channels."""

import json

from django.db import migrations, models

import openamt.core.sealing

# What each former column became (public option, secret option).
PUBLIC = {
    "fit-connect": ("url", "token_url", "client_id", "public_key"),
    "webhook": ("url",),
}
SECRET = {"fit-connect": ("client_secret",), "webhook": ("secret",)}


def columns_to_options(apps, schema_editor):
    DeliveryEndpoint = apps.get_model("submissions", "DeliveryEndpoint")
    for endpoint in DeliveryEndpoint.objects.all():
        endpoint.plugin = endpoint.channel
        endpoint.options = {
            name: getattr(endpoint, name) for name in PUBLIC.get(endpoint.channel, ())
        }
        secrets = {name: getattr(endpoint, name) for name in SECRET.get(endpoint.channel, ())}
        endpoint.secrets = json.dumps(secrets) if any(secrets.values()) else ""
        endpoint.save(update_fields=["plugin", "options", "secrets"])


def options_to_columns(apps, schema_editor):
    DeliveryEndpoint = apps.get_model("submissions", "DeliveryEndpoint")
    for endpoint in DeliveryEndpoint.objects.all():
        endpoint.channel = endpoint.plugin
        for name, value in endpoint.options.items():
            setattr(endpoint, name, value)
        for name, value in (json.loads(endpoint.secrets) if endpoint.secrets else {}).items():
            setattr(endpoint, name, value)
        endpoint.save()


class Migration(migrations.Migration):
    dependencies = [("submissions", "0007_delivery_leases")]

    operations = [
        migrations.AddField(
            model_name="deliveryendpoint",
            name="plugin",
            field=models.CharField(default="", max_length=40, verbose_name="Zustellweg"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="deliveryendpoint",
            name="options",
            field=models.JSONField(default=dict, verbose_name="Einstellungen"),
        ),
        migrations.AddField(
            model_name="deliveryendpoint",
            name="secrets",
            field=openamt.core.sealing.SealedField(
                blank=True, verbose_name="Geheimnisse (versiegelt)"
            ),
        ),
        migrations.RunPython(columns_to_options, options_to_columns),
        migrations.RemoveConstraint(model_name="deliveryendpoint", name="delivery_endpoint_unique"),
        migrations.RemoveField(model_name="deliveryendpoint", name="channel"),
        migrations.RemoveField(model_name="deliveryendpoint", name="client_id"),
        migrations.RemoveField(model_name="deliveryendpoint", name="client_secret"),
        migrations.RemoveField(model_name="deliveryendpoint", name="public_key"),
        migrations.RemoveField(model_name="deliveryendpoint", name="secret"),
        migrations.RemoveField(model_name="deliveryendpoint", name="token_url"),
        migrations.RemoveField(model_name="deliveryendpoint", name="url"),
        migrations.AddConstraint(
            model_name="deliveryendpoint",
            constraint=models.UniqueConstraint(
                fields=("authority", "plugin"), name="delivery_endpoint_unique"
            ),
        ),
    ]
