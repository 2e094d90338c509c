package io.cairn.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.cairn.application.feed.CommitFeed;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import io.cairn.http.GlobalLogController.StreamCommit;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * One {@code text/event-stream} response, written on an async request: a {@link CommitFeed.Sink} that turns each
 * commit into an event ({@code id}, {@code event: commit}, {@code data: <commit JSON>}), each heartbeat into a
 * {@code : keep-alive} comment, and the feed's own end into a last event ({@code overflow} or {@code unavailable})
 * before the response completes.
 *
 * <p>Written by hand rather than with Javalin's {@code SseClient}: that one answers only requests whose
 * {@code Accept} names {@code text/event-stream} (curl, which accepts anything, gets an empty 200), commits its 200
 * before the handler could still refuse a bad {@code Last-Event-ID}, and does not guard its comments with the lock
 * of its events. Writes happen on the feed's thread; every write and the end hold one lock, so nothing is written
 * after the response is handed back to Javalin. Thread-safe.
 */
final class EventStream implements CommitFeed.Sink {

    static final String CONTENT_TYPE = "text/event-stream";
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(UTF_8);
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private final HttpServletResponse response;
    private final Replies replies;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Object lock = new Object();
    private boolean started;
    private boolean finished;
    private Subscription subscription;

    EventStream(HttpServletResponse response, Replies replies) {
        this.response = response;
        this.replies = replies;
    }

    /** Completes when the stream has ended, for whatever reason; Javalin then completes the response. */
    CompletableFuture<Void> done() {
        return done;
    }

    /** Sends the response headers now, and takes the subscription to close when the stream ends. */
    void begin(Subscription feedSubscription) {
        boolean finishedAlready;
        boolean gone = false;
        synchronized (lock) {
            subscription = feedSubscription;
            finishedAlready = finished;
            if (!finished) {
                try {
                    startIfNeeded();
                    response.flushBuffer();
                } catch (IOException | RuntimeException e) {
                    gone = true;
                }
            }
        }
        if (finishedAlready) {
            feedSubscription.close();
        } else if (gone) {
            finish();
        }
    }

    @Override
    public void commit(RecordedCommit commit, Checkpoint id) throws IOException {
        String data = new String(replies.bytes(StreamCommit.of(commit)), UTF_8);
        write(event(id == null ? null : id.value(), "commit", data));
    }

    @Override
    public void heartbeat() throws IOException {
        write(KEEP_ALIVE);
    }

    @Override
    public void ended(CommitFeed.Ending ending, String detail) {
        String type = switch (ending) {
            case FELL_BEHIND -> "overflow";
            case UNAVAILABLE -> "unavailable";
        };
        try {
            write(event(null, type, detail));
        } catch (IOException e) {
            // gone already: finished by write
        }
        finish();
    }

    /** Ends the stream: no more writes, the feed subscription closed, the response handed back. Idempotent. */
    void finish() {
        Subscription toClose;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            toClose = subscription;
        }
        try {
            if (toClose != null) {
                toClose.close();
            }
        } finally {
            done.complete(null);
        }
    }

    private void write(byte[] bytes) throws IOException {
        synchronized (lock) {
            if (finished) {
                throw new IOException("the event stream has ended");
            }
            try {
                startIfNeeded();
                response.getOutputStream().write(bytes);
                response.flushBuffer();
                return;
            } catch (IOException | RuntimeException e) {
                // the reader is gone; finish below, outside the lock
            }
        }
        finish();
        throw new IOException("the reader of the event stream is gone");
    }

    private void startIfNeeded() {
        if (!started) {
            started = true;
            response.setStatus(200);
            response.setContentType(CONTENT_TYPE + ";charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no"); // nginx: pass events on as they come
        }
    }

    /** One event; {@code data} of several lines becomes several {@code data:} lines, which a reader joins again. */
    static byte[] event(String id, String type, String data) {
        StringBuilder event = new StringBuilder(data.length() + 64);
        // a line break in an id would end the field early; no id is better than a wrong one
        if (id != null && id.indexOf('\n') < 0 && id.indexOf('\r') < 0) {
            event.append("id: ").append(id).append('\n');
        }
        event.append("event: ").append(type).append('\n');
        for (String line : LINE_BREAK.split(data, -1)) {
            event.append("data: ").append(line).append('\n');
        }
        return event.append('\n').toString().getBytes(UTF_8);
    }
}
