import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Authority = apps.get_model("organisations", "Authority")
    for authority in Authority.objects.only("pk"):
        Authority.objects.filter(pk=authority.pk).update(destination_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="authority",
            name="destination_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="Destination-ID"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="authority",
            name="destination_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="Destination-ID"
            ),
        ),
    ]
