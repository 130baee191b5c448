"""Public ids, the sealing columns, and the append-only trigger on the audit table."""

import uuid

from django.db import migrations, models

GUARD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sealing_columns text[] := ARRAY['chain_seq', 'prev_hash', 'row_hash'];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- Only a superuser (who could disable this trigger anyway) may empty the table, and only by asking
        -- for it explicitly: Django's test runner does, to reset the database between tests.
        IF current_setting('audit.allow_truncate', true) = 'on'
           AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit entries are append-only: DELETE refused (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- UPDATE: the only change ever allowed is sealing an unsealed row once: the three chain columns go from
    -- NULL to values, every other column stays exactly as it was.
    IF OLD.chain_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL
       AND NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.row_hash IS NOT NULL
       AND (to_jsonb(NEW) - sealing_columns) = (to_jsonb(OLD) - sealing_columns) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: UPDATE refused (id %)', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

INSTALL_TRIGGERS = """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_guard();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard();
"""

REMOVE_TRIGGERS = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        # Rows written before this migration get a random public id (no trigger exists yet).
        migrations.RunSQL("UPDATE audit_auditentry SET public_id = gen_random_uuid()", migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="reason",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="row_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(condition=models.Q(chain_seq__isnull=True), fields=["id"], name="audit_unsealed"),
        ),
        migrations.RunSQL(GUARD_FUNCTION + INSTALL_TRIGGERS, REMOVE_TRIGGERS),
    ]
