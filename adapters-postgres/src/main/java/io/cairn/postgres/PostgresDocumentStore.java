package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentTooLargeException;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One document projection's documents and states on PostgreSQL. Documents are rows of the {@code documents} table,
 * one per projection and key, the JSON as {@code jsonb} (queryable in psql; read back as jsonb prints it: the same
 * JSON value, though key order and white space may differ) and a version moved on by compare-and-set. Keys are
 * {@code COLLATE "C"}, so listings are in the byte order of their UTF-8 form. The per-stream states are views named
 * {@code "<projection>.streams"} in the {@code views} table, written as {@link PostgresViewStore} writes them; a view
 * store of that name sees them too.
 *
 * <p>{@link #write} is one transaction, one call of {@link DerivedWriteFunction} (one round trip, committed
 * without waiting for its WAL flush: a crash may lose its last commits, and the projection then replays them from
 * the checkpoint that was lost with them; DESIGN.md: "Derived data may be written with weaker durability than
 * events, as long as each write stays atomic with its checkpoint"): documents (in key order), states (in stream
 * order), then the checkpoint.
 * Every transaction takes its row locks in that order, so two writers over the same rows wait for each other but
 * cannot deadlock; the second sees the first's versions and answers false. A document that PostgreSQL's jsonb
 * refuses (text that is not JSON, a NUL character in a string) fails the write with {@link IllegalStateException},
 * and nothing is written. Thread-safe: the store holds no state of its own beyond the pool.
 *
 * @param <S> the per-stream state type
 */
final class PostgresDocumentStore<S> implements DocumentStore<S> {

    /**
     * The largest document, in bytes of its JSON text in UTF-8: far below what jsonb takes (255 MB), because a
     * document is read, sent and rewritten whole on every change of it, within the transaction of its checkpoint.
     */
    static final long MAX_DOCUMENT_BYTES = 16L * 1024 * 1024;

    private static final int MAX_LIMIT = 1000;

    private static final String COLUMNS = "key, body::text, version";
    private static final String GET = "SELECT " + COLUMNS + " FROM {schema}.documents WHERE projection = ? AND key = ?";
    private static final String GET_MANY = "SELECT " + COLUMNS
            + " FROM {schema}.documents WHERE projection = ? AND key = ANY (?)";
    /**
     * The LIKE says which keys are listed; the range from the prefix to its {@link #upperBound} (in
     * {@link #LIST_BELOW}), which holds the same keys in {@code COLLATE "C"}, lets the primary key's index start and
     * stop there, which a LIKE of a parameter alone does not once the statement is planned generically.
     */
    private static final String LIST = "SELECT " + COLUMNS + """
             FROM {schema}.documents
            WHERE projection = ? AND key >= ? AND key LIKE ? ESCAPE '\\' AND key > ?
            ORDER BY key LIMIT ?""";
    private static final String LIST_BELOW = "SELECT " + COLUMNS + """
             FROM {schema}.documents
            WHERE projection = ? AND key >= ? AND key LIKE ? ESCAPE '\\' AND key > ? AND key < ?
            ORDER BY key LIMIT ?""";
    private static final String DELETE_ALL = "DELETE FROM {schema}.documents WHERE projection = ?";

    private final Database db;
    private final String projection;
    private final PostgresViewStore<S> states;
    private final PostgresCheckpointStore checkpoints;
    private final String get;
    private final String getMany;
    private final String list;
    private final String listBelow;
    private final DerivedWriteFunction function;
    private final DerivedWriteFunction.ViewRows noStates;
    private final String deleteAll;

    /**
     * @param projection  the projection's name, not empty; its checkpoint is saved under it
     * @param codec       writes the per-stream states
     * @param checkpoints the checkpoints table, which {@link #write} writes in the same call as the documents
     */
    PostgresDocumentStore(Database db, String projection, StateCodec<S> codec, PostgresCheckpointStore checkpoints) {
        this.db = requireNonNull(db, "db must not be null");
        PostgresCheckpointStore.checkName(projection);
        this.projection = projection;
        this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
        this.states = new PostgresViewStore<>(db, projection + ".streams", codec, checkpoints);
        this.get = db.sql(GET);
        this.getMany = db.sql(GET_MANY);
        this.list = db.sql(LIST);
        this.listBelow = db.sql(LIST_BELOW);
        this.function = new DerivedWriteFunction(db);
        this.noStates = DerivedWriteFunction.ViewRows.none(projection + ".streams", codec.schemaVersion());
        this.deleteAll = db.sql(DELETE_ALL);
    }

    /** {@inheritDoc} Documents, then states, then the checkpoint, each one statement. */
    @Override
    public void deleteAll() {
        db.call("deleting the documents of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(deleteAll)) {
                statement.setString(1, projection);
                statement.executeUpdate();
            }
            return null;
        });
        states.deleteAll();
        checkpoints.delete(projection);
    }

    @Override
    public String projection() {
        return projection;
    }

    @Override
    public long maxDocumentBytes() {
        return MAX_DOCUMENT_BYTES;
    }

    @Override
    public Optional<StoredDocument> document(String key) {
        requireNonNull(key, "key must not be null");
        return db.call("reading document '" + key + "' of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(get)) {
                statement.setString(1, projection);
                statement.setString(2, key);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(read(row)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<String, StoredDocument> documents(Set<String> keys) {
        requireNonNull(keys, "keys must not be null");
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_KEYS + " keys at once, not " + keys.size());
        }
        if (keys.isEmpty()) {
            return Map.of();
        }
        return db.call("reading " + keys.size() + " documents of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(getMany)) {
                statement.setString(1, projection);
                statement.setArray(2, connection.createArrayOf("text", keys.toArray()));
                Map<String, StoredDocument> found = new HashMap<>();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        StoredDocument document = read(row);
                        found.put(document.key(), document);
                    }
                }
                return found;
            }
        });
    }

    @Override
    public DocumentPage list(String prefix, Optional<String> after, int limit) {
        requireNonNull(prefix, "prefix must not be null");
        requireNonNull(after, "after must not be null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        Optional<String> below = upperBound(prefix);
        return db.call("listing documents of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(below.isPresent() ? listBelow : list)) {
                int index = 1;
                statement.setString(index++, projection);
                statement.setString(index++, prefix);
                statement.setString(index++, likePattern(prefix));
                statement.setString(index++, after.orElse(""));
                if (below.isPresent()) {
                    statement.setString(index++, below.get());
                }
                // one more than the page: whether there is a next page, without a second query
                statement.setInt(index, limit + 1);
                List<StoredDocument> page = new ArrayList<>(Math.min(limit + 1, 64));
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        page.add(read(row));
                    }
                }
                if (page.size() <= limit) {
                    return new DocumentPage(page, Optional.empty());
                }
                List<StoredDocument> shown = page.subList(0, limit);
                return new DocumentPage(shown, Optional.of(shown.get(limit - 1).key()));
            }
        });
    }

    @Override
    public boolean write(List<DocumentWrite> documents, List<ViewWrite<S>> stateWrites,
                         Optional<Checkpoint> checkpoint) {
        requireNonNull(documents, "documents must not be null");
        requireNonNull(stateWrites, "states must not be null");
        requireNonNull(checkpoint, "checkpoint must not be null");
        List<DocumentWrite> byKey = new ArrayList<>(documents);
        byKey.sort(Comparator.comparing(DocumentWrite::key));
        for (int i = 0; i < byKey.size(); i++) {
            DocumentWrite write = byKey.get(i);
            if (i > 0 && byKey.get(i - 1).key().equals(write.key())) {
                throw new IllegalArgumentException("two writes for document '" + write.key() + "' in one batch");
            }
            if (write instanceof DocumentWrite.Put put) {
                long bytes = utf8Bytes(put.json());
                if (bytes > MAX_DOCUMENT_BYTES) {
                    throw new DocumentTooLargeException(projection, put.key(), bytes, MAX_DOCUMENT_BYTES);
                }
            }
        }
        List<ViewWrite<S>> byStream = new ArrayList<>(stateWrites);
        byStream.sort(Comparator.comparing(write -> write.view().stream()));
        Set<StreamId> streams = new HashSet<>();
        for (ViewWrite<S> write : byStream) {
            if (!streams.add(write.view().stream())) {
                throw new IllegalArgumentException("two states for " + write.view().stream() + " in one batch");
            }
        }
        if (byKey.isEmpty() && byStream.isEmpty() && checkpoint.isEmpty()) {
            return true;
        }
        DerivedWriteFunction.ViewRows rows = byStream.isEmpty() ? noStates : states.rows(byStream);
        return db.call("writing " + byKey.size() + " documents and " + byStream.size()
                + " states of projection " + projection + checkpoint.map(c -> " with its checkpoint").orElse(""),
                connection -> function.call(connection, projection, byKey, rows, checkpoint));
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        return states.get(stream);
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        return states.put(view, replacing);
    }

    private static StoredDocument read(ResultSet row) throws SQLException {
        return new StoredDocument(row.getString(1), row.getString(2), row.getLong(3));
    }

    /** A LIKE pattern matching the keys that start with {@code prefix}, its own {@code % _ \} taken literally. */
    static String likePattern(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * The least string above every string that starts with {@code prefix}, in code point order (which is the byte
     * order of UTF-8, and so of {@code COLLATE "C"}): the prefix with its last code point moved on by one, after
     * dropping trailing U+10FFFF. Empty when there is none: the prefix is empty or all U+10FFFF.
     */
    static Optional<String> upperBound(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            int start = end - Character.charCount(last);
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1;
                if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                    next = Character.MAX_SURROGATE + 1;
                }
                return Optional.of(prefix.substring(0, start) + Character.toString(next));
            }
            end = start;
        }
        return Optional.empty();
    }

    /** The length of {@code text} in UTF-8, without encoding it (a lone surrogate counts as the '?' it becomes). */
    static long utf8Bytes(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
