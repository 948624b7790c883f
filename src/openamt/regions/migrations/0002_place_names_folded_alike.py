"""Region and place names folded with `regions.names.place_fold` (St./Sankt,
hyphens, umlaut spellings), as the search and the address check now fold
what people type. Data only; re-running it changes nothing."""

from django.db import migrations

from openamt.regions.names import place_fold


def refold(apps, schema_editor):
    for model, source, target in (
        (apps.get_model("regions", "Region"), "name", "name_folded"),
        (apps.get_model("regions", "Postcode"), "place_name", "place_folded"),
    ):
        changed = []
        for row in model.objects.only("pk", source, target).iterator(chunk_size=5000):
            folded = place_fold(getattr(row, source))
            if getattr(row, target) != folded:
                setattr(row, target, folded)
                changed.append(row)
        model.objects.bulk_update(changed, [target], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
