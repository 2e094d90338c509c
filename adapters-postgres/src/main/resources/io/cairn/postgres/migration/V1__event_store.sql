-- Cairn's PostgreSQL store. Flyway runs this in the configured schema (default: cairn).

-- The global order. One row, whose lock every append transaction takes before it allocates positions:
-- appenders are serialised, so positions are consecutive and become visible in commit order, and an aborted
-- transaction gives its positions back. See io.cairn.postgres.GroupCommitAppender.
CREATE TABLE ${flyway:defaultSchema}.global_position (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    last bigint  NOT NULL CHECK (last >= 0)
);
INSERT INTO ${flyway:defaultSchema}.global_position (last) VALUES (0);

-- One row per commit. A commit's events share its position.
CREATE TABLE ${flyway:defaultSchema}.commits (
    position           bigint      PRIMARY KEY,
    stream             text        NOT NULL,
    revision           bigint      NOT NULL CHECK (revision >= 1),
    commit_id          uuid        NOT NULL,
    first_event_number bigint      NOT NULL CHECK (first_event_number >= 1),
    event_count        integer     NOT NULL CHECK (event_count >= 1),
    recorded_at        timestamptz NOT NULL,
    metadata           jsonb       NOT NULL,
    CONSTRAINT commits_stream_revision_key UNIQUE (stream, revision),
    CONSTRAINT commits_stream_commit_id_key UNIQUE (stream, commit_id)
);

-- One row per event, readable with psql: SELECT type, data FROM cairn.events WHERE stream = 'account-42'.
-- No foreign key to commits: only the appender writes here, in the transaction that writes the commit, and a
-- key check would lock the commit row for every event.
CREATE TABLE ${flyway:defaultSchema}.events (
    position     bigint NOT NULL,
    event_number bigint NOT NULL CHECK (event_number >= 1),
    stream       text   NOT NULL,
    type         text   NOT NULL,
    data         jsonb  NOT NULL,
    metadata     jsonb  NOT NULL,
    PRIMARY KEY (position, event_number)
);

-- The newest snapshot per stream. A row of another schema version counts as absent.
CREATE TABLE ${flyway:defaultSchema}.snapshots (
    stream            text    PRIMARY KEY,
    revision          bigint  NOT NULL CHECK (revision >= 1),
    schema_version    integer NOT NULL,
    state             jsonb   NOT NULL,
    recent_commit_ids uuid[]  NOT NULL
);

-- Read models: one row per view and stream, written by compare-and-set on revision.
CREATE TABLE ${flyway:defaultSchema}.views (
    view              text    NOT NULL,
    stream            text    NOT NULL,
    revision          bigint  NOT NULL CHECK (revision >= 1),
    schema_version    integer NOT NULL,
    state             jsonb   NOT NULL,
    recent_commit_ids uuid[]  NOT NULL,
    PRIMARY KEY (view, stream)
);

-- How far each projection has processed its durable channel; written with its views in one transaction.
CREATE TABLE ${flyway:defaultSchema}.checkpoints (
    projection text PRIMARY KEY,
    checkpoint text NOT NULL
);
