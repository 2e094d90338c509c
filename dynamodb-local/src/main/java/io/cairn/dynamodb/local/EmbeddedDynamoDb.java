package io.cairn.dynamodb.local;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.model.ListTablesRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * DynamoDB Local (including DynamoDB Streams) running inside this JVM on a free loopback port, or on a port the
 * caller names ({@link #persistentIn(Path, int)}, e.g. to restart a server where its clients expect it): the tests'
 * and the benchmarks' server, for whatever needs a real endpoint (SDK interceptors, a server to stop). Cairn's
 * embedded default is {@link InProcessDynamoDb}, without a server. Its tables live in memory ({@link #inMemory()}) or
 * in a folder that survives a restart ({@link #persistentIn(Path)}), which {@link InProcessDynamoDb#persistentIn(Path)}
 * opens too; either way every client sees the same tables, whatever its region and credentials (DynamoDB Local's
 * {@code -sharedDb}).
 *
 * <p>Starting one is slow (about a second) and does I/O, so it happens in the factories, never in a constructor
 * that wiring code might call early. {@link #close()} stops the server and is idempotent. Thread-safe.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final int START_ATTEMPTS = 5;
    /** With {@code -sharedDb}, any key and region name the one database. */
    private static final String WARM_UP_KEY = "cairnlocal";
    private static final String WARM_UP_REGION = "us-east-1";

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /** Starts a server whose tables live in memory and vanish when it stops. */
    public static EmbeddedDynamoDb inMemory() {
        return start(true, null, 0);
    }

    /**
     * Starts a server that keeps its tables in {@code dataDirectory} (created when missing), where a later server
     * finds them again.
     *
     * @throws UncheckedIOException when the folder cannot be created
     */
    public static EmbeddedDynamoDb persistentIn(Path dataDirectory) {
        return start(false, dataFolder(dataDirectory), 0);
    }

    /**
     * Like {@link #persistentIn(Path)}, on the given port rather than a free one: a server stopped and started again
     * this way is found by the clients of the first at the same endpoint, with the same tables.
     *
     * @param port 1-65535
     * @throws IllegalArgumentException when the port is out of range
     * @throws IllegalStateException    when the port is taken (by another server or anything else)
     * @throws UncheckedIOException     when the folder cannot be created
     */
    public static EmbeddedDynamoDb persistentIn(Path dataDirectory, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        return start(false, dataFolder(dataDirectory), port);
    }

    /**
     * A loopback port that was free a moment ago, for {@link #persistentIn(Path, int)} when the clients are to be
     * built while the server starts; someone else may take it in between, which that method then reports.
     *
     * @throws UncheckedIOException when there is no free port
     */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for DynamoDB Local", e);
        }
    }

    /** Where clients reach it: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server; data in memory is gone, data in a folder stays. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local at " + endpoint + " did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "DynamoDB Local at " + endpoint;
    }

    /**
     * Builds the server as DynamoDB Local's own command line does, minus its console banner and its telemetry: a
     * shared database (one set of tables whatever the client's region and credentials), no CORS.
     */
    private static EmbeddedDynamoDb start(boolean inMemory, String dbPath, int fixedPort) {
        DynamoDbLocalRuntime.prepare();
        Exception last = null;
        // a free port can be taken by someone else between finding it and binding it: try a few
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = fixedPort > 0 ? fixedPort : freeLoopbackPort();
            DynamoDBProxyServer server;
            LocalDynamoDBRequestHandler handler;
            try {
                handler = new LocalDynamoDBRequestHandler(0, inMemory, dbPath, true, false);
                server = new DynamoDBProxyServer(port, new LocalDynamoDBServerHandler(handler, null));
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local cannot open its database"
                        + (inMemory ? " in memory" : " in " + dbPath), e);
            }
            try {
                server.start();
                // opens the database (and loads SQLite) here, on the starting thread, rather than in the first
                // client's request; a database that cannot be opened fails the start
                handler.listTables(WARM_UP_KEY, WARM_UP_REGION, new ListTablesRequest().withLimit(1));
                return new EmbeddedDynamoDb(server, port);
            } catch (Exception e) {
                last = e;
                stopQuietly(server, e);
                if (fixedPort > 0) {
                    // the caller's port: trying it again would fail again
                    throw new IllegalStateException(isBindFailure(e)
                            ? "DynamoDB Local cannot listen on port " + port + ": the port is taken"
                            : "DynamoDB Local did not start on port " + port, e);
                }
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start in " + START_ATTEMPTS + " attempts", last);
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static String dataFolder(Path dataDirectory) {
        return DynamoDbLocalRuntime.dataFolder(dataDirectory).toString();
    }

    private static void stopQuietly(DynamoDBProxyServer server, Exception failure) {
        try {
            server.stop();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
