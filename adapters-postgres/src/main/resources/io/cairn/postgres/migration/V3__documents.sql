-- The documents of document projections: one row per projection and key, the document as jsonb so that psql can
-- query it (SELECT body->>'status' FROM cairn.documents WHERE projection = 'orders'), written by compare-and-set
-- on version. Keys compare byte by byte (COLLATE "C"), whatever the database's locale: listing and paging walk
-- the primary key in that order. A projection's per-stream states are views named '<projection>.streams' in the
-- views table. See io.cairn.postgres.PostgresDocumentStore.
CREATE TABLE ${flyway:defaultSchema}.documents (
    projection text   NOT NULL,
    key        text   COLLATE "C" NOT NULL,
    body       jsonb  NOT NULL,
    version    bigint NOT NULL CHECK (version >= 1),
    PRIMARY KEY (projection, key)
);
