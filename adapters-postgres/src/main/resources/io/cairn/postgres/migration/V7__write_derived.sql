-- write_derived: one projector transaction (documents, views, the projection's checkpoint) in one call, so that a
-- projector's write costs one round trip: called in auto-commit mode, the call is its transaction. Before, each such
-- transaction was four or five (SET LOCAL, the view UPDATE or a JDBC batch, the checkpoint upsert, COMMIT), and each
-- cost CPU on both sides. See io.cairn.postgres.DerivedWriteFunction and the README, "Commands on PostgreSQL: where
-- the time goes".
--
-- Outcomes, the same as the statements it replaces:
-- - documents in the order given (the caller sorts them by key), then views (sorted by stream), then the checkpoint,
--   so that every such transaction takes its row locks in one order and two cannot deadlock;
-- - a document by compare-and-set on version: a NULL body deletes at the expected version (at least 1), expected 0
--   inserts version 1 (nothing when the key is taken), any other updates at the expected version;
-- - a view by compare-and-set on revision and schema version: replacing 0 is a first view (inserted, or replacing a
--   row of another schema version);
-- - when one of them is not where it was expected, the function raises SQLSTATE CN409 ("lost compare-and-set"):
--   the statement, and so its whole transaction, is rolled back and nothing of it is stored;
-- - the transaction commits without waiting for its WAL flush (synchronous_commit off for this transaction only):
--   derived data, atomic with its checkpoint, may be weaker-durable than events (DESIGN.md). A crash of the server
--   loses the last such transactions whole, and the projector replays them from the older checkpoint.
CREATE FUNCTION ${flyway:defaultSchema}.write_derived(
    doc_projection      text,
    doc_keys            text[],
    doc_expected        bigint[],
    doc_bodies          text[],
    view_name           text,
    view_streams        text[],
    view_revisions      bigint[],
    view_replacing      bigint[],
    view_schema_version integer,
    view_states         text[],
    view_id_counts      integer[],
    view_commit_ids     uuid[],
    checkpoint_name     text,
    checkpoint_value    text)
RETURNS void
LANGUAGE plpgsql
AS $function$
DECLARE
    doc_count  constant integer := coalesce(cardinality(doc_keys), 0);
    view_count constant integer := coalesce(cardinality(view_streams), 0);
    written   integer;
    ids_from  integer := 1;
BEGIN
    -- local to this call's transaction: the connection's next transaction has the server's setting again
    PERFORM set_config('synchronous_commit', 'off', true);
    FOR i IN 1 .. doc_count LOOP
        IF doc_bodies[i] IS NULL THEN
            DELETE FROM ${flyway:defaultSchema}.documents
            WHERE projection = doc_projection AND key = doc_keys[i] AND version = doc_expected[i];
        ELSIF doc_expected[i] = 0 THEN
            INSERT INTO ${flyway:defaultSchema}.documents (projection, key, body, version)
            VALUES (doc_projection, doc_keys[i], doc_bodies[i]::jsonb, 1)
            ON CONFLICT (projection, key) DO NOTHING;
        ELSE
            UPDATE ${flyway:defaultSchema}.documents SET body = doc_bodies[i]::jsonb, version = version + 1
            WHERE projection = doc_projection AND key = doc_keys[i] AND version = doc_expected[i];
        END IF;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written <> 1 THEN
            RAISE EXCEPTION 'document % of projection % is not at version %', doc_keys[i], doc_projection,
                doc_expected[i] USING ERRCODE = 'CN409';
        END IF;
    END LOOP;
    FOR i IN 1 .. view_count LOOP
        IF view_replacing[i] = 0 THEN
            INSERT INTO ${flyway:defaultSchema}.views AS v
                (view, stream, revision, schema_version, state, recent_commit_ids)
            VALUES (view_name, view_streams[i], view_revisions[i], view_schema_version, view_states[i]::jsonb,
                    coalesce(view_commit_ids[ids_from : ids_from + view_id_counts[i] - 1], '{}'))
            ON CONFLICT (view, stream) DO UPDATE
                SET revision = excluded.revision, schema_version = excluded.schema_version,
                    state = excluded.state, recent_commit_ids = excluded.recent_commit_ids
                WHERE v.schema_version <> excluded.schema_version;
        ELSE
            UPDATE ${flyway:defaultSchema}.views
            SET revision = view_revisions[i], state = view_states[i]::jsonb,
                recent_commit_ids = coalesce(view_commit_ids[ids_from : ids_from + view_id_counts[i] - 1], '{}')
            WHERE view = view_name AND stream = view_streams[i] AND revision = view_replacing[i]
              AND schema_version = view_schema_version;
        END IF;
        GET DIAGNOSTICS written = ROW_COUNT;
        IF written <> 1 THEN
            RAISE EXCEPTION 'view % of % is not at revision %', view_name, view_streams[i], view_replacing[i]
                USING ERRCODE = 'CN409';
        END IF;
        ids_from := ids_from + view_id_counts[i];
    END LOOP;
    IF checkpoint_name IS NOT NULL THEN
        INSERT INTO ${flyway:defaultSchema}.checkpoints (projection, checkpoint) VALUES (checkpoint_name, checkpoint_value)
        ON CONFLICT (projection) DO UPDATE SET checkpoint = excluded.checkpoint;
    END IF;
END
$function$;
