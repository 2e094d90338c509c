-- append_batch as in V4, with a shorter path for a batch of one append (what the appender sends whenever no other
-- append waits behind it): the same outcomes, decided with scalars instead of arrays and loops, the commit and its
-- events in one statement. Measured with the benchmarks' `postgres --profile` (pg_stat_statements, mean execution of
-- the call at one writer); see the README, "Commands on PostgreSQL: where the time goes".
CREATE OR REPLACE FUNCTION ${flyway:defaultSchema}.append_batch(
    streams         text[],
    expected        bigint[],
    commit_ids      uuid[],
    event_counts    integer[],
    commit_metadata text[],
    event_appends   integer[],
    event_indexes   integer[],
    event_types     text[],
    event_data      text[],
    event_metadata  text[],
    event_versions  integer[],
    channel         text)
RETURNS TABLE (outcome text, at_position bigint, at_revision bigint, first_event_number bigint,
               recorded_at timestamptz)
LANGUAGE plpgsql
-- Planning the statements below for each call's arrays costs more than running them; plan them once per session.
SET plan_cache_mode = force_generic_plan
AS $function$
#variable_conflict use_column
DECLARE
    n              constant integer := coalesce(cardinality(streams), 0);
    last_position  bigint;
    next_position  bigint;
    locked_at      timestamptz;
    outcomes       text[]   := array_fill(NULL::text, ARRAY[n]);
    positions      bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    revisions      bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    first_events   bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    duplicate_of   integer[] := array_fill(NULL::integer, ARRAY[n]);
    a              record;
    head_stream    text;
    head_revision  bigint;
    head_event     bigint;
    batch_ids      uuid[];
    batch_appends  integer[];
    one_duplicate  bigint;
BEGIN
    -- Each statement below must see what the previous lock holder committed: a fresh snapshot per statement.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'append_batch needs READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;

    SELECT g.last INTO last_position FROM ${flyway:defaultSchema}.global_position g FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the row of ${flyway:defaultSchema}.global_position is missing';
    END IF;
    locked_at := clock_timestamp();

    -- One append, the common case at low load: the same decision with scalars, no arrays to fill and no loops.
    IF n = 1 THEN
        SELECT (SELECT c.revision FROM ${flyway:defaultSchema}.commits c
                WHERE c.stream = streams[1] ORDER BY c.revision DESC LIMIT 1),
               (SELECT c.first_event_number + c.event_count - 1 FROM ${flyway:defaultSchema}.commits c
                WHERE c.stream = streams[1] ORDER BY c.revision DESC LIMIT 1),
               (SELECT c.position FROM ${flyway:defaultSchema}.commits c
                WHERE c.stream = streams[1] AND c.commit_id = commit_ids[1] LIMIT 1)
            INTO head_revision, head_event, one_duplicate;
        head_revision := coalesce(head_revision, 0);
        head_event := coalesce(head_event, 0);
        IF one_duplicate IS NOT NULL THEN
            RETURN QUERY SELECT 'duplicate'::text, one_duplicate, NULL::bigint, NULL::bigint, locked_at;
            RETURN;
        END IF;
        IF expected[1] IS NOT NULL AND expected[1] <> head_revision THEN
            RETURN QUERY SELECT 'conflict'::text, NULL::bigint, head_revision, NULL::bigint, locked_at;
            RETURN;
        END IF;
        next_position := last_position + 1;
        WITH stored AS (
            INSERT INTO ${flyway:defaultSchema}.commits
                (position, stream, revision, commit_id, first_event_number, event_count, recorded_at, metadata)
            VALUES (next_position, streams[1], head_revision + 1, commit_ids[1], head_event + 1, event_counts[1],
                    locked_at, commit_metadata[1]::jsonb)
            RETURNING position)
        INSERT INTO ${flyway:defaultSchema}.events (position, event_number, stream, type, data, metadata, version)
        SELECT s.position, head_event + 1 + e.index_in_commit, streams[1], e.type, e.data::jsonb, e.metadata::jsonb,
               e.version
        FROM stored s,
             unnest(event_indexes, event_types, event_data, event_metadata, event_versions)
                 AS e(index_in_commit, type, data, metadata, version);
        UPDATE ${flyway:defaultSchema}.global_position SET last = next_position;
        PERFORM pg_notify(channel, next_position::text);
        RETURN QUERY SELECT 'stored'::text, next_position, head_revision + 1, head_event + 1, locked_at;
        RETURN;
    END IF;

    -- Appends to different streams are independent: decide them stream by stream, in queue order within each.
    -- The head and the stored commit id are lateral lookups with a LIMIT, so each stays an index lookup.
    FOR a IN
        SELECT x.i::integer AS i, x.stream, x.expected, x.commit_id, x.event_count,
               coalesce(h.revision, 0) AS stored_revision, coalesce(h.last_event, 0) AS stored_last_event,
               d.position AS stored_duplicate
        FROM unnest(streams, expected, commit_ids, event_counts)
            WITH ORDINALITY AS x(stream, expected, commit_id, event_count, i)
        LEFT JOIN LATERAL (
            SELECT c.revision, c.first_event_number + c.event_count - 1 AS last_event
            FROM ${flyway:defaultSchema}.commits c
            WHERE c.stream = x.stream
            ORDER BY c.revision DESC
            LIMIT 1) h ON true
        LEFT JOIN LATERAL (
            SELECT c.position
            FROM ${flyway:defaultSchema}.commits c
            WHERE c.stream = x.stream AND c.commit_id = x.commit_id
            LIMIT 1) d ON true
        ORDER BY x.stream, x.i
    LOOP
        IF head_stream IS DISTINCT FROM a.stream THEN
            head_stream := a.stream;
            head_revision := a.stored_revision;
            head_event := a.stored_last_event;
            batch_ids := '{}';
            batch_appends := '{}';
        END IF;
        IF a.stored_duplicate IS NOT NULL THEN
            outcomes[a.i] := 'duplicate';
            positions[a.i] := a.stored_duplicate;
        ELSIF a.commit_id = ANY (batch_ids) THEN
            outcomes[a.i] := 'duplicate';
            duplicate_of[a.i] := batch_appends[array_position(batch_ids, a.commit_id)];
        ELSIF a.expected IS NOT NULL AND a.expected <> head_revision THEN
            outcomes[a.i] := 'conflict';
            revisions[a.i] := head_revision;
        ELSE
            outcomes[a.i] := 'stored';
            revisions[a.i] := head_revision + 1;
            first_events[a.i] := head_event + 1;
            head_revision := head_revision + 1;
            head_event := head_event + a.event_count;
            batch_ids := batch_ids || a.commit_id;
            batch_appends := batch_appends || a.i::integer;
        END IF;
    END LOOP;

    -- Positions in queue order; a duplicate of an append of this batch gets that append's position.
    next_position := last_position;
    FOR i IN 1 .. n LOOP
        IF outcomes[i] = 'stored' THEN
            next_position := next_position + 1;
            positions[i] := next_position;
        ELSIF duplicate_of[i] IS NOT NULL THEN
            positions[i] := positions[duplicate_of[i]];
        END IF;
    END LOOP;

    IF next_position > last_position THEN
        INSERT INTO ${flyway:defaultSchema}.commits
            (position, stream, revision, commit_id, first_event_number, event_count, recorded_at, metadata)
        SELECT x.position, x.stream, x.revision, x.commit_id, x.first_event, x.event_count, locked_at,
               x.metadata::jsonb
        FROM unnest(outcomes, positions, streams, revisions, commit_ids, first_events, event_counts, commit_metadata)
            AS x(outcome, position, stream, revision, commit_id, first_event, event_count, metadata)
        WHERE x.outcome = 'stored';

        INSERT INTO ${flyway:defaultSchema}.events (position, event_number, stream, type, data, metadata, version)
        SELECT x.position, x.first_event + e.index_in_commit, x.stream, e.type, e.data::jsonb, e.metadata::jsonb,
               e.version
        FROM unnest(event_appends, event_indexes, event_types, event_data, event_metadata, event_versions)
            AS e(append, index_in_commit, type, data, metadata, version)
        JOIN unnest(outcomes, positions, streams, first_events) WITH ORDINALITY
            AS x(outcome, position, stream, first_event, i) ON x.i = e.append
        WHERE x.outcome = 'stored';

        UPDATE ${flyway:defaultSchema}.global_position SET last = next_position;
        PERFORM pg_notify(channel, next_position::text);
    END IF;

    RETURN QUERY
        SELECT x.outcome, x.position, x.revision, x.first_event, locked_at
        FROM unnest(outcomes, positions, revisions, first_events) WITH ORDINALITY AS x(outcome, position, revision,
                                                                                     first_event, i)
        ORDER BY x.i;
END
$function$;
