"""The application role may only INSERT and SELECT audit rows; sealing goes through an owner's function.

``audit_seal_rows`` runs with the rights of the role that owns the audit table (``SECURITY DEFINER``), takes
the sealers' advisory lock, and seals only rows that are still unsealed, each continuing the chain from the
current head. The application role gets EXECUTE on it and no UPDATE on the table (referral_api/dbroles.py).
"""

from django.db import migrations

SEAL_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_seal_rows(p_ids bigint[], p_seqs bigint[], p_prev text[], p_hashes text[])
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    n integer := coalesce(array_length(p_ids, 1), 0);
    head_seq bigint;
    head_hash text;
    updated integer;
BEGIN
    IF n = 0 THEN
        RETURN 0;
    END IF;
    IF coalesce(array_length(p_seqs, 1), 0) <> n OR coalesce(array_length(p_prev, 1), 0) <> n
       OR coalesce(array_length(p_hashes, 1), 0) <> n THEN
        RAISE EXCEPTION 'audit_seal_rows: the four arrays must have the same length'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The sealers' lock (audit.chain.SEAL_LOCK_KEY), re-entrant when the caller holds it already.
    PERFORM pg_advisory_xact_lock(280470112596);
    SELECT chain_seq, row_hash INTO head_seq, head_hash
      FROM public.audit_auditentry WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    head_hash := coalesce(head_hash, repeat('0', 64));
    FOR i IN 1..n LOOP
        IF p_seqs[i] IS DISTINCT FROM head_seq + i
           OR p_prev[i] IS DISTINCT FROM (CASE WHEN i = 1 THEN head_hash ELSE p_hashes[i - 1] END)
           OR p_hashes[i] IS NULL OR p_hashes[i] !~ '^[0-9a-f]{64}$' THEN
            RAISE EXCEPTION 'audit_seal_rows: entry % does not continue the chain at chain_seq %', p_ids[i], head_seq + i
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    UPDATE public.audit_auditentry AS a
       SET chain_seq = s.seq, prev_hash = s.prev, row_hash = s.hash
      FROM unnest(p_ids, p_seqs, p_prev, p_hashes) AS s(id, seq, prev, hash)
     WHERE a.id = s.id AND a.chain_seq IS NULL;
    GET DIAGNOSTICS updated = ROW_COUNT;
    IF updated <> n THEN
        RAISE EXCEPTION 'audit_seal_rows: % of % entries are missing or sealed already', n - updated, n
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN updated;
END;
$$;
REVOKE ALL ON FUNCTION audit_seal_rows(bigint[], bigint[], text[], text[]) FROM PUBLIC;
"""

def grant(apps, schema_editor):
    from referral_api.dbroles import grant_app_role

    grant_app_role(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_monthly_partitions")]

    operations = [
        migrations.RunSQL(SEAL_FUNCTION, "DROP FUNCTION IF EXISTS audit_seal_rows(bigint[], bigint[], text[], text[]);"),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
