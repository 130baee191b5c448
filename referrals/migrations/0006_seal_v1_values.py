"""Move the v1.0 per-field Fernet values into the sealed columns, batched and resumable (not one transaction:
each batch commits; ``migrate`` run again after an interruption finishes the rest)."""

from django.db import migrations

from referrals.sealing_v1 import convert_referrals


def forwards(apps, schema_editor):
    convert_referrals()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("referrals", "0005_sealed_columns")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
