"""Move v1.0 file names, descriptions and stored objects under each referral's data key, batched and resumable
(each batch commits; ``migrate`` run again after an interruption finishes the rest)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from attachments.sealing_v1 import convert_attachments

    convert_attachments()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("attachments", "0002_sealed_columns")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
