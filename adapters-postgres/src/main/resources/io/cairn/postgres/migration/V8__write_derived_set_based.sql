-- write_derived, V8: the same signature and outcomes as V7 (see V7__write_derived.sql), cheaper for many rows.
-- V7 ran one plpgsql statement per row; at 16 command threads a call carries 10-20 views, and a statement per row
-- cost about twice the server CPU of the JDBC batch of plain UPDATEs it replaced. Now, from 4 updates of a kind in
-- a call (documents updated at a version, views replacing a revision), those rows are first locked in key or stream
-- order (one statement), then updated by one set-based UPDATE per 32 of the call's rows; deletes, inserts and first
-- views stay one statement each, as in V7. A call with up to 3 updates of a kind runs exactly V7's statements.
--
-- Why each set-based statement also says "key = ANY (keys)" / "stream = ANY (streams)", though its join with the
-- arrays implies it: plpgsql caches a generic plan per session, often made while the table was small or never
-- analysed. Planned so, the join alone came out as a scan of every row of the projection or view, each probing the
-- arrays ("Bitmap Heap Scan ... Recheck Cond: (view = $5)", the arrays rescanned per row), and it stayed cached
-- while the table grew: the first set-based write_derived (commit 7afaee5, reverted) made projections fall
-- thousands of commits behind that way. With the array condition on the primary key, every plan reads only the
-- call's own rows, however large the table. Such a plan may still compare each of the call's rows with every other
-- (a nested loop over the arrays, measured: 1 000 views in one UPDATE took 0.35-0.5 s on a fresh table), hence
-- the chunks of 32: a call of n rows costs about n/32 statements, never n².
--
-- Rows are locked in one order in every such transaction (documents by key, then views by stream, then the
-- checkpoint), so two writers over the same rows wait for each other but cannot deadlock; the second sees the
-- first's versions and raises CN409. CREATE OR REPLACE keeps the function's identity, so a node of an older
-- release calling it gets the same outcomes.
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.write_derived(
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
-- the set-based statements' custom plans looked cheaper than their generic ones for a few rows, so plpgsql kept
-- planning them on every call (a third more server time per call of 2 to 4 views); their generic plans are the
-- bounded ones described above, and the per-row statements' generic plans are what plpgsql chose for them anyway
SET plan_cache_mode = force_generic_plan
AS $function$
DECLARE
    -- from this many updates of a kind, one set-based UPDATE per chunk; below, one statement per row (cheaper for
    -- 2 or 3: measured per call, 0.14-0.20 ms for 2 views one by one against 0.24-0.26 ms set-based, even at 4)
    set_based_from constant integer := 4;
    -- rows per set-based UPDATE: its plan may compare every row of the chunk with every other (a nested loop, as
    -- planned while the table is small or unanalysed), so a call of n rows costs n/chunk statements, not n²
    chunk          constant integer := 32;
    doc_count      constant integer := coalesce(cardinality(doc_keys), 0);
    view_count     constant integer := coalesce(cardinality(view_streams), 0);
    -- updates are the documents with a body and an expected version above 0, the views replacing a revision
    doc_updates    integer := 0;
    view_updates   integer := 0;
    ids_to         integer[];
    written        integer;
    chunk_written  integer;
    lo             integer;
    hi             integer;
    ids_from       integer := 1;
BEGIN
    -- local to this call's transaction: the connection's next transaction has the server's setting again
    PERFORM set_config('synchronous_commit', 'off', true);
    FOR i IN 1 .. doc_count LOOP
        IF doc_bodies[i] IS NOT NULL AND doc_expected[i] <> 0 THEN
            doc_updates := doc_updates + 1;
        END IF;
    END LOOP;
    IF doc_updates >= set_based_from THEN
        -- in the order of the call's keys (sorted by the caller, as the statement-per-row path goes), not the
        -- column's collation, so that a large write and a small one of the same rows lock them in the same order
        PERFORM 1 FROM ${flyway:defaultSchema}.documents d
        JOIN unnest(doc_keys) WITH ORDINALITY AS k(key, i) ON k.key = d.key
        WHERE d.projection = doc_projection AND d.key = ANY (doc_keys)
        ORDER BY k.i
        FOR UPDATE OF d;
        written := 0;
        lo := 1;
        WHILE lo <= doc_count LOOP
            hi := least(lo + chunk - 1, doc_count);
            UPDATE ${flyway:defaultSchema}.documents d SET body = u.body::jsonb, version = d.version + 1
            FROM unnest(doc_keys[lo : hi], doc_expected[lo : hi], doc_bodies[lo : hi]) AS u(key, expected, body)
            WHERE d.projection = doc_projection AND d.key = ANY (doc_keys[lo : hi])
              AND d.key = u.key AND d.version = u.expected AND u.body IS NOT NULL AND u.expected <> 0;
            GET DIAGNOSTICS chunk_written = ROW_COUNT;
            written := written + chunk_written;
            lo := hi + 1;
        END LOOP;
        IF written <> doc_updates THEN
            RAISE EXCEPTION '% of % documents of projection % are not at their versions', doc_updates - written,
                doc_updates, doc_projection USING ERRCODE = 'CN409';
        END IF;
    END IF;
    FOR i IN 1 .. doc_count LOOP
        IF doc_bodies[i] IS NULL THEN
            DELETE FROM ${flyway:defaultSchema}.documents
            WHERE projection = doc_projection AND key = doc_keys[i] AND version = doc_expected[i];
        ELSIF doc_expected[i] = 0 THEN
            INSERT INTO ${flyway:defaultSchema}.documents (projection, key, body, version)
            VALUES (doc_projection, doc_keys[i], doc_bodies[i]::jsonb, 1)
            ON CONFLICT (projection, key) DO NOTHING;
        ELSIF doc_updates >= set_based_from THEN
            CONTINUE; -- updated above
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
        IF view_replacing[i] <> 0 THEN
            view_updates := view_updates + 1;
        END IF;
    END LOOP;
    IF view_updates >= set_based_from THEN
        -- where each view's remembered commit ids end in view_commit_ids
        ids_to := array_fill(0, ARRAY[view_count]);
        FOR i IN 1 .. view_count LOOP
            ids_to[i] := ids_from + view_id_counts[i] - 1;
            ids_from := ids_to[i] + 1;
        END LOOP;
        ids_from := 1;
        -- in the order of the call's streams, as for documents above
        PERFORM 1 FROM ${flyway:defaultSchema}.views v
        JOIN unnest(view_streams) WITH ORDINALITY AS s(stream, i) ON s.stream = v.stream
        WHERE v.view = view_name AND v.stream = ANY (view_streams)
        ORDER BY s.i
        FOR UPDATE OF v;
        written := 0;
        lo := 1;
        WHILE lo <= view_count LOOP
            hi := least(lo + chunk - 1, view_count);
            UPDATE ${flyway:defaultSchema}.views v
            SET revision = u.revision, state = u.state::jsonb,
                recent_commit_ids = coalesce(view_commit_ids[u.ids_to - u.id_count + 1 : u.ids_to], '{}')
            FROM unnest(view_streams[lo : hi], view_revisions[lo : hi], view_replacing[lo : hi], view_states[lo : hi],
                        view_id_counts[lo : hi], ids_to[lo : hi])
                AS u(stream, revision, replacing, state, id_count, ids_to)
            WHERE v.view = view_name AND v.stream = ANY (view_streams[lo : hi])
              AND v.stream = u.stream AND v.revision = u.replacing AND u.replacing <> 0
              AND v.schema_version = view_schema_version;
            GET DIAGNOSTICS chunk_written = ROW_COUNT;
            written := written + chunk_written;
            lo := hi + 1;
        END LOOP;
        IF written <> view_updates THEN
            RAISE EXCEPTION '% of % views of % are not at their revisions', view_updates - written, view_updates,
                view_name USING ERRCODE = 'CN409';
        END IF;
    END IF;
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
        ELSIF view_updates >= set_based_from THEN
            ids_from := ids_from + view_id_counts[i];
            CONTINUE; -- updated above
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
