"""Expand: one sealed column per record (AES-256-GCM under the referral's data key); the v1.0 per-field columns
leave the model and become nullable. They are emptied by 0004 and dropped in a later release."""

from django.db import migrations

import referral_api.fields

LEGACY = {
    "referral": ["summary", "narrative", "consent_scope", "assignee", "outcome"],
    "case": ["sender_case_number", "title", "locations", "organizations"],
    "person": [
        "given_name", "family_name", "aliases", "date_of_birth", "a_number", "other_identifiers", "safe_contact",
        "location",
    ],
    "statusevent": ["reason"],
    "note": ["body"],
}  # fmt: skip
# v1.0 columns declared NOT NULL: new rows no longer write them.
NOT_NULL = {
    "referral": ["summary"],
    "case": ["locations", "organizations"],
    "person": ["aliases", "other_identifiers"],
    "note": ["body"],
}


def _drop_not_null():
    return [
        migrations.RunSQL(
            f'ALTER TABLE "referrals_{model}" ALTER COLUMN "{column}" DROP NOT NULL', migrations.RunSQL.noop
        )
        for model, columns in NOT_NULL.items()
        for column in columns
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_referral_disposal_due"),
        ("keystore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="sealed",
            field=referral_api.fields.SealedField(
                members=("summary", "narrative", "consent_scope", "assignee", "outcome"), referral="id"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="sealed",
            field=referral_api.fields.SealedField(
                members=("sender_case_number", "title", "locations", "organizations"),
                referral="referral_id",
                lists=("locations", "organizations"),
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="sealed",
            field=referral_api.fields.SealedField(
                members=(
                    "given_name", "family_name", "aliases", "date_of_birth", "a_number", "other_identifiers",
                    "safe_contact", "location",
                ),
                referral="referral_id",
                dates=("date_of_birth",),
                lists=("aliases", "other_identifiers"),
            ),  # fmt: skip
        ),
        migrations.AddField(
            model_name="statusevent",
            name="sealed",
            field=referral_api.fields.SealedField(members=("reason",), referral="referral_id"),
        ),
        migrations.AddField(
            model_name="note",
            name="sealed",
            field=referral_api.fields.SealedField(members=("body",), referral="referral_id"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name=model, name=name) for model, names in LEGACY.items() for name in names
            ],
            database_operations=_drop_not_null(),
        ),
    ]
