package io.cairn.postgres;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.contracts.TestState;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash of the PostgreSQL server itself (every server process killed, then recovery from the WAL): views and
 * their checkpoint are committed without waiting for their WAL flush, so the last of them may be lost, but only
 * together, and every acknowledged append survives. A server of its own, since this one is killed.
 */
class ServerCrashTest {

    private static final int VIEW_WRITES = 300;

    @TempDir
    Path data;

    @Test
    void views_and_their_checkpoint_are_lost_only_together_and_acknowledged_appends_never() throws Exception {
        int port = freePort();
        StreamId viewed = aNewStream();
        StreamId appended = aNewStream();
        String projection = "crash-test";
        EmbeddedPostgres server = start(port);
        long appends = 0;
        try (PostgresStores stores = PostgresStores.open(settings(port))) {
            TransactionalViewStore<TestState> views = stores.viewStore("crash", TestState.CODEC);
            EventStore events = stores.eventStore();
            events.append(appended, ExpectedRevision.NO_STREAM, anyCommit());
            appends++;
            for (int revision = 1; revision <= VIEW_WRITES; revision++) {
                Snapshot<TestState> view = aSnapshotOf(viewed).at(revision).build();
                assertThat(views.putAll(List.of(new ViewWrite<>(view, revision - 1)), projection,
                        Checkpoint.atPosition(revision))).isTrue();
            }
            // the last acknowledged write before the crash is an append, whose commit waited for its flush
            events.append(appended, ExpectedRevision.exactly(appends), anyCommit());
            appends++;
            for (int revision = VIEW_WRITES + 1; revision <= 2 * VIEW_WRITES; revision++) {
                Snapshot<TestState> view = aSnapshotOf(viewed).at(revision).build();
                assertThat(views.putAll(List.of(new ViewWrite<>(view, revision - 1)), projection,
                        Checkpoint.atPosition(revision))).isTrue();
            }
            crash(server);
        }

        server = start(port);
        try (PostgresStores stores = PostgresStores.open(settings(port))) {
            TransactionalViewStore<TestState> views = stores.viewStore("crash", TestState.CODEC);
            long checkpoint = views.checkpoints().load(projection).map(Checkpoint::position).orElse(0L);
            Optional<Snapshot<TestState>> view = views.get(viewed);
            assertThat(view.map(Snapshot::revision).orElse(0L))
                    .as("the view is exactly where its checkpoint says: lost, if at all, with it").isEqualTo(checkpoint);
            assertThat(checkpoint).as("what the acknowledged append's flush made durable survives")
                    .isBetween((long) VIEW_WRITES, 2L * VIEW_WRITES);
            assertThat(stores.eventStore().revision(appended)).as("every acknowledged append").isEqualTo(appends);
        } finally {
            server.close();
        }
    }

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    private static PostgresSettings settings(int port) {
        return PostgresSettings.of("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "")
                .withSchema("crash");
    }

    /** Kills every process of the server at once, as a power cut would stop them: no shutdown checkpoint. */
    private void crash(EmbeddedPostgres server) throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        List<ProcessHandle> processes = ProcessHandle.of(postmaster).stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(data.resolve("postmaster.pid"));
        try {
            server.close(); // its stop finds no server; this releases the data directory's lock in this JVM
        } catch (IOException | RuntimeException e) {
            // expected: there was nothing left to stop
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
