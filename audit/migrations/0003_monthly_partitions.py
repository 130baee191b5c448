"""The audit table partitioned by month (native PostgreSQL range partitioning on ``occurred_at``), and the record of
archived segments, so that archiving a segment drops whole partitions instead of deleting rows.

The table is rebuilt (PostgreSQL cannot turn a plain table into a partitioned one in place): the rows are copied
into the partitioned table in one transaction and the id sequence continues. A partitioned table's unique
constraints must include the partition key, so the primary key is ``(id, occurred_at)`` and ``public_id`` and
``chain_seq`` are unique with ``occurred_at``; ``id`` comes from a sequence, and ``audit_verify`` checks that
``chain_seq`` runs 1, 2, 3... without a repeat.

Deleting audit rows stays refused to everyone, except the table owner deleting, with ``audit.archive_delete = on``
set in its transaction, sealed rows already covered by a recorded archive (``audit_auditarchive``): the rest of a
partially archived month. The application role neither owns the table nor can set that exception in motion.
"""

from django.db import migrations, models

GUARD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sealing_columns text[] := ARRAY['chain_seq', 'prev_hash', 'row_hash'];
    owner_oid oid := (SELECT relowner FROM pg_class WHERE oid = 'public.audit_auditentry'::regclass);
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- Asked for explicitly, by the test runner only; a superuser or the owner could drop the trigger anyway.
        IF current_setting('audit.allow_truncate', true) = 'on'
           AND ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                OR pg_has_role(current_user, owner_oid, 'MEMBER')) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- audit_archive: the owner removes sealed rows that a recorded, signed archive already holds.
        IF current_setting('audit.archive_delete', true) = 'on'
           AND pg_has_role(current_user, owner_oid, 'MEMBER')
           AND OLD.chain_seq IS NOT NULL
           AND OLD.chain_seq <= (SELECT coalesce(max(last_seq), 0) FROM public.audit_auditarchive) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only: DELETE refused (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- UPDATE: only the one-time sealing of an unsealed row.
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

ARCHIVE_GUARD = r"""
CREATE OR REPLACE FUNCTION audit_archive_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on'
       AND ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
            OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit archive records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_archive_append_only BEFORE UPDATE OR DELETE ON audit_auditarchive
    FOR EACH ROW EXECUTE FUNCTION audit_archive_guard();
CREATE TRIGGER audit_archive_no_truncate BEFORE TRUNCATE ON audit_auditarchive
    FOR EACH STATEMENT EXECUTE FUNCTION audit_archive_guard();
"""

# Creates the missing monthly partitions between two times. SECURITY DEFINER: it runs with the rights of the
# owner of the table (who runs migrate), so the scheduler can call it as the application role, which owns nothing.
ENSURE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_partitions_ensure(p_from timestamptz, p_until timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    month_start timestamptz := date_trunc('month', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    month_end timestamptz;
    part text;
    created integer := 0;
BEGIN
    WHILE month_start < p_until LOOP
        month_end := (date_trunc('month', month_start AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
        part := 'audit_auditentry_p' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
        IF to_regclass('public.' || part) IS NULL THEN
            IF EXISTS (SELECT 1 FROM public.audit_auditentry_default
                        WHERE occurred_at >= month_start AND occurred_at < month_end) THEN
                -- Rows of that month already sit in the default partition: they stay there (archived by deletion).
                RAISE NOTICE 'audit partition % not created: the default partition holds rows of that month', part;
            ELSE
                EXECUTE format('CREATE TABLE public.%I PARTITION OF public.audit_auditentry FOR VALUES FROM (%L) TO (%L)',
                               part, month_start, month_end);
                EXECUTE format('CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON public.%I '
                               'FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard()', part);
                created := created + 1;
            END IF;
        END IF;
        month_start := month_end;
    END LOOP;
    RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION audit_partitions_ensure(timestamptz, timestamptz) FROM PUBLIC;
"""

COLUMNS = (
    "id, occurred_at, agency_code, client_id, client_name, action, object_type, object_id, outcome, request_id, "
    "source_ip, purpose, prev_hash, row_hash, public_id, reason, chain_seq"
)

CONVERT = rf"""
LOCK TABLE audit_auditentry IN ACCESS EXCLUSIVE MODE;
ALTER TABLE audit_auditentry RENAME TO audit_auditentry_unpartitioned;
CREATE SEQUENCE audit_auditentry_id_seq_monthly AS bigint;
CREATE TABLE audit_auditentry (
    id bigint NOT NULL DEFAULT nextval('audit_auditentry_id_seq_monthly'),
    occurred_at timestamp with time zone NOT NULL,
    agency_code varchar(16),
    client_id varchar(255),
    client_name varchar(255),
    action varchar(64) NOT NULL,
    object_type varchar(32) NOT NULL,
    object_id varchar(255),
    outcome varchar(32) NOT NULL,
    request_id varchar(128),
    source_ip inet,
    purpose varchar(200),
    prev_hash varchar(64),
    row_hash varchar(64),
    public_id uuid NOT NULL,
    reason varchar(64),
    chain_seq bigint,
    CONSTRAINT audit_auditentry_monthly_pkey PRIMARY KEY (id, occurred_at),
    CONSTRAINT audit_auditentry_public_id_month_uniq UNIQUE (public_id, occurred_at),
    CONSTRAINT audit_auditentry_chain_seq_month_uniq UNIQUE (chain_seq, occurred_at)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE audit_auditentry_id_seq_monthly OWNED BY audit_auditentry.id;
CREATE TABLE audit_auditentry_default PARTITION OF audit_auditentry DEFAULT;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry_default
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard();
SELECT audit_partitions_ensure(
    least(coalesce((SELECT min(occurred_at) FROM audit_auditentry_unpartitioned), now()), now()),
    now() + interval '12 months'
);
INSERT INTO audit_auditentry ({COLUMNS}) SELECT {COLUMNS} FROM audit_auditentry_unpartitioned;
SELECT setval('audit_auditentry_id_seq_monthly',
              coalesce((SELECT max(id) FROM audit_auditentry_unpartitioned), 0) + 1, false);
DROP TABLE audit_auditentry_unpartitioned;
CREATE INDEX audit_auditentry_occurred_at_monthly ON audit_auditentry (occurred_at);
CREATE INDEX audit_object_time ON audit_auditentry (object_type, object_id, occurred_at);
CREATE INDEX audit_agency_time ON audit_auditentry (agency_code, occurred_at);
CREATE INDEX audit_unsealed ON audit_auditentry (id) WHERE chain_seq IS NULL;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_guard();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_and_public_id")]

    operations = [
        migrations.CreateModel(
            name="AuditArchive",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("created_at", models.DateTimeField()),
                ("before", models.DateTimeField()),
                ("first_seq", models.BigIntegerField()),
                ("last_seq", models.BigIntegerField(unique=True)),
                ("entry_count", models.BigIntegerField()),
                ("prev_hash", models.CharField(max_length=64)),
                ("first_hash", models.CharField(max_length=64)),
                ("last_hash", models.CharField(max_length=64)),
                ("file_name", models.CharField(max_length=255)),
                ("file_sha256", models.CharField(max_length=64)),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=128)),
            ],
        ),
        migrations.RunSQL(
            ARCHIVE_GUARD,
            "DROP TRIGGER IF EXISTS audit_archive_append_only ON audit_auditarchive; "
            "DROP TRIGGER IF EXISTS audit_archive_no_truncate ON audit_auditarchive; "
            "DROP FUNCTION IF EXISTS audit_archive_guard();",
        ),
        migrations.RunSQL(GUARD_FUNCTION, migrations.RunSQL.noop),
        migrations.RunSQL(ENSURE_FUNCTION, "DROP FUNCTION IF EXISTS audit_partitions_ensure(timestamptz, timestamptz);"),
        # Forward only: turning the partitioned table back into a plain one is a restore, not a migration.
        migrations.RunSQL(CONVERT, migrations.RunSQL.noop),
    ]
