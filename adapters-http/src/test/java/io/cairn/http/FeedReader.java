package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code GET /feed} over a real socket: parses the {@code text/event-stream} into events as the
 * browser's {@code EventSource} would, on a thread of its own, once {@link #startReading()} is called (until then it
 * reads nothing, like a stuck client).
 */
final class FeedReader implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** One event; {@code id} is null when the event had no id field. */
    record Event(String id, String type, String data) {

        JsonNode json() {
            try {
                return TestCairn.JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + data, e);
            }
        }

        long position() {
            return Long.parseLong(id);
        }
    }

    private static final Event END = new Event(null, "<end of stream>", "");

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> commentLines = new ArrayList<>();
    private Thread thread;
    private boolean ended;

    private FeedReader(HttpResponse<InputStream> response) {
        this.response = response;
    }

    /** Opens {@code GET path} with the given headers (name, value, ...) and starts reading. */
    static FeedReader open(HttpClient client, URI uri, String... headers) {
        FeedReader reader = connect(client, uri, headers);
        assertThat(reader.response.statusCode()).isEqualTo(200);
        assertThat(reader.response.headers().firstValue("Content-Type").orElse(""))
                .startsWith(EventStream.CONTENT_TYPE);
        reader.startReading();
        return reader;
    }

    /** Opens {@code GET path} and reads nothing until {@link #startReading()}. */
    static FeedReader connect(HttpClient client, URI uri, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(WAIT).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return new FeedReader(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    synchronized void startReading() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::read, "feed-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    synchronized (commentLines) {
                        commentLines.add(line);
                    }
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder() : data.append('\n');
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            events.add(END);
        }
    }

    /** The next event; fails when none comes within {@link #WAIT} or the stream ended. */
    Event next() {
        Event event = nextOrEnd();
        assertThat(event).as("an event, not the end of the stream").isNotSameAs(END);
        return event;
    }

    /** The next event, or null when the stream has ended. */
    Event nextOrEnd() {
        if (ended) {
            return null;
        }
        try {
            Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("an event within " + WAIT).isNotNull();
            if (event == END) {
                ended = true;
                return null;
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Commit events until the one with position {@code last}; fails on any other kind of event. */
    List<Event> commitsUntil(long last) {
        List<Event> commits = new ArrayList<>();
        while (commits.isEmpty() || commits.get(commits.size() - 1).position() < last) {
            Event event = next();
            assertThat(event.type()).as("event %s", event).isEqualTo("commit");
            commits.add(event);
        }
        return commits;
    }

    /** Every event up to the end of the stream. */
    List<Event> untilTheEnd() {
        List<Event> all = new ArrayList<>();
        Event event;
        while ((event = nextOrEnd()) != null) {
            all.add(event);
        }
        return all;
    }

    List<String> comments() {
        synchronized (commentLines) {
            return List.copyOf(commentLines);
        }
    }

    /** Hangs up. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Long> positions(List<Event> events) {
        List<Long> positions = new ArrayList<>();
        for (Event event : events) {
            positions.add(event.position());
        }
        return positions;
    }
}
