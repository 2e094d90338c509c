package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.EventStores;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.postgres.PendingAppend.Appended;
import io.cairn.postgres.PendingAppend.Conflict;
import io.cairn.postgres.PendingAppend.Duplicate;
import io.cairn.postgres.PendingAppend.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.OptionalLong;

/**
 * The event store and its global log on PostgreSQL. Appends go through the {@link GroupCommitAppender}, which
 * gives every commit the next position of a gap-free global order; reads are plain queries, strongly consistent
 * (an acknowledged append has committed). A retried commitId is recognised anywhere in its stream, whatever the
 * expected revision. Thread-safe.
 */
final class PostgresEventStore implements EventStore, GlobalLog {

    private final Database db;
    private final GroupCommitAppender appender;
    private final String readStream;
    private final String readStreamUpTo;
    private final String readLog;
    private final String readAt;
    private final String readRevision;
    private final String readHead;

    PostgresEventStore(Database db, GroupCommitAppender appender) {
        this.db = requireNonNull(db, "db must not be null");
        this.appender = requireNonNull(appender, "appender must not be null");
        this.readStream = CommitRows.select(db, "stream = ? AND revision >= ?", "revision");
        this.readStreamUpTo = CommitRows.select(db, "stream = ? AND revision BETWEEN ? AND ?", "revision");
        this.readLog = CommitRows.select(db, "position >= ?", "position");
        this.readAt = CommitRows.select(db, "position = ?", "position");
        this.readRevision = db.sql("SELECT coalesce(max(revision), 0) FROM {schema}.commits WHERE stream = ?");
        this.readHead = db.sql("SELECT last FROM {schema}.global_position");
    }

    /** {@inheritDoc} The counter row's value: it moves in the transaction that appends, so it is never ahead. */
    @Override
    public long headPosition() {
        return db.call("reading the global log's head", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(readHead);
                 ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        EventStores.checkAppend(stream, expected, commit);
        Outcome outcome = appender.append(stream, expected, commit);
        if (outcome instanceof Appended appended) {
            return new AppendResult(appended.commit(), false);
        }
        if (outcome instanceof Duplicate duplicate) {
            return new AppendResult(commitAt(duplicate.position()), true);
        }
        throw new WrongExpectedRevision(stream, expected, OptionalLong.of(((Conflict) outcome).actualRevision()));
    }

    @Override
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        EventStores.checkRead(stream, fromRevision, maxCommits);
        int max = Math.min(maxCommits, EventStore.MAX_SLICE);
        // one more than wanted tells whether the slice reaches the end of the stream
        List<RecordedCommit> commits = db.call("reading " + stream, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(readStream)) {
                statement.setString(1, stream.value());
                statement.setLong(2, fromRevision);
                statement.setInt(3, max + 1);
                try (ResultSet rows = statement.executeQuery()) {
                    return CommitRows.read(rows);
                }
            }
        });
        boolean endOfStream = commits.size() <= max;
        return new StreamSlice(stream, fromRevision, endOfStream ? commits : commits.subList(0, max), endOfStream);
    }

    /** {@inheritDoc} One query over the key range, so no row past {@code toRevision} is read. */
    @Override
    public StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        int wanted = EventStores.checkReadUpTo(stream, fromRevision, toRevision, maxCommits);
        List<RecordedCommit> commits = db.call("reading " + stream, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(readStreamUpTo)) {
                statement.setString(1, stream.value());
                statement.setLong(2, fromRevision);
                statement.setLong(3, toRevision);
                statement.setInt(4, wanted);
                try (ResultSet rows = statement.executeQuery()) {
                    return CommitRows.read(rows);
                }
            }
        });
        return new StreamSlice(stream, fromRevision, commits, commits.size() < wanted);
    }

    @Override
    public long revision(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        return db.call("reading the revision of " + stream, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(readRevision)) {
                statement.setString(1, stream.value());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Positions are consecutive and visible in order (see {@link GroupCommitAppender}), so the commits with
     * position {@code >= fromPosition}, in position order, are exactly the next ones: nothing committed later can
     * fall in between.
     */
    @Override
    public GlobalSlice readAll(long fromPosition, int maxCommits) {
        EventStores.checkReadAll(fromPosition, maxCommits);
        List<RecordedCommit> commits = db.call("reading the global log from position " + fromPosition,
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(readLog)) {
                        statement.setLong(1, fromPosition);
                        statement.setInt(2, Math.min(maxCommits, GlobalLog.MAX_SLICE));
                        try (ResultSet rows = statement.executeQuery()) {
                            return CommitRows.read(rows);
                        }
                    }
                });
        return new GlobalSlice(fromPosition, commits);
    }

    private RecordedCommit commitAt(long position) {
        List<RecordedCommit> commits = db.call("reading the commit at position " + position, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(readAt)) {
                statement.setLong(1, position);
                statement.setInt(2, 1);
                try (ResultSet rows = statement.executeQuery()) {
                    return CommitRows.read(rows);
                }
            }
        });
        if (commits.isEmpty()) {
            throw new IllegalStateException("no commit at position " + position + ", where a stored commit was found");
        }
        return commits.get(0);
    }
}
