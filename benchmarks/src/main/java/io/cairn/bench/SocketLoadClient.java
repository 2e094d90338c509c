package io.cairn.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * The least a client can do: per thread one kept-alive socket, a request written in one go, the answer read to the
 * end of its body (Content-Length or chunked). What {@code wrk} does, in Java; it shows how much of an HTTP round
 * trip's CPU is {@link JdkLoadClient}'s own.
 */
final class SocketLoadClient implements LoadClient {

    private final InetSocketAddress server;
    private final Connection[] connections;

    SocketLoadClient(InetSocketAddress server, int threads) {
        this.server = server;
        this.connections = new Connection[threads];
    }

    @Override
    public int post(int thread, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: " + UUID.randomUUID() + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        return connection(thread).exchange(head, body);
    }

    @Override
    public int get(int thread, String path) throws IOException {
        return connection(thread).exchange("GET " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n", new byte[0]);
    }

    private String host() {
        return server.getHostString() + ":" + server.getPort();
    }

    private Connection connection(int thread) throws IOException {
        Connection connection = connections[thread];
        if (connection == null) {
            connection = new Connection(server);
            connections[thread] = connection;
        }
        return connection;
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** One kept-alive connection, used by one thread. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final StringBuilder line = new StringBuilder();

        Connection(InetSocketAddress server) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(server, 5_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        int exchange(String head, byte[] body) throws IOException {
            byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
            out.flush();
            String status = readLine();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
                    skip(size);
                    readLine();
                }
                readLine();
            } else if (length > 0) {
                skip(length);
            }
            return code;
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed in a head");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
