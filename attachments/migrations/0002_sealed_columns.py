"""Expand: the file name and description sealed as one ciphertext under the referral's data key; the v1.0
per-field columns leave the model (emptied by 0003, dropped in a later release)."""

from django.db import migrations

import referral_api.fields


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0001_initial"),
        ("referrals", "0006_seal_v1_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="sealed",
            field=referral_api.fields.SealedField(members=("description", "file_name"), referral="referral_id"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="attachment", name="description"),
                migrations.RemoveField(model_name="attachment", name="file_name"),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'ALTER TABLE "attachments_attachment" ALTER COLUMN "{column}" DROP NOT NULL',
                    migrations.RunSQL.noop,
                )
                for column in ("description", "file_name")
            ],
        ),
    ]
