package io.cairn.http;

import static io.cairn.http.StreamController.abbreviate;

import io.cairn.application.feed.CommitFeed;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.Subscription;
import io.cairn.domain.InvalidInputException;
import io.javalin.http.Context;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@code GET /feed}: the merged live feed ({@link CommitFeed}) as Server-Sent Events, one event per commit, resumable
 * from the {@code Last-Event-ID} header or, for a first connection from a browser's {@code EventSource} (which cannot
 * set headers), the {@code lastEventId} query parameter; the header wins, since a reconnecting {@code EventSource}
 * keeps the URL and sends the newer id in the header. Everything that can be refused (a missing feed, a bad id) is
 * answered with a problem before the stream starts. Thread-safe.
 */
final class FeedController {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final String LAST_EVENT_ID_PARAM = "lastEventId";
    private static final Pattern POSITION = Pattern.compile("\\d{1,18}");
    static final String FEED_RETRY_AFTER_SECONDS = "5";

    private record ResumePoint(Optional<Checkpoint> after, String field) {
    }

    private final Optional<CommitFeed> feed;
    private final Replies replies;
    private final Duration keepAlive;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final int maxSubscribers;
    /** Streams admitted: taken before a stream opens, given back when it ends or fails to open. */
    private final AtomicInteger admitted = new AtomicInteger();

    FeedController(Optional<CommitFeed> feed, Replies replies, Duration keepAlive, int maxSubscribers) {
        this.feed = feed;
        this.replies = replies;
        this.keepAlive = keepAlive;
        this.maxSubscribers = maxSubscribers;
    }

    /**
     * Validates the request, then serves the stream on an async request until the feed or the client ends it; with
     * {@code maxSubscribers} streams open already, 503 {@code too-many-subscribers} with {@code Retry-After}.
     */
    void follow(Context ctx) {
        CommitFeed commits = feed.orElseThrow(() -> new ProblemException(ProblemMapper.noLiveFeed()));
        ResumePoint resume = resumePoint(ctx, commits.hasGlobalOrder());
        if (admitted.incrementAndGet() > maxSubscribers) {
            admitted.decrementAndGet();
            throw new ProblemException(ProblemMapper.tooManySubscribers(maxSubscribers, FEED_RETRY_AFTER_SECONDS));
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                admitted.decrementAndGet();
            }
        };
        // the supplier runs once the request is async; what it throws is still answered as a problem
        try {
            ctx.future(() -> {
                try {
                    CompletableFuture<Void> done = open(ctx, commits, resume);
                    done.whenComplete((ignored, failure) -> release.run());
                    return done;
                } catch (RuntimeException e) {
                    release.run();
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** The OpenAPI entry of {@code GET /feed}. */
    static Operation operation() {
        return Operation.of("streams", "The live feed of every commit, as Server-Sent Events")
                .description("One event: commit per commit of any stream as the projection releases it, data: the "
                        + "commit as GET /all shows it, id: where to resume (Last-Event-ID, or ?lastEventId= for a "
                        + "first connection). Keep-alive comments after 15 quiet seconds; event: overflow for a client "
                        + "too far behind. At most a configured number of streams are open at once (503 beyond).")
                .header(LAST_EVENT_ID, OpenApi.string(), "resume after this id")
                .query(LAST_EVENT_ID_PARAM, OpenApi.string(), "resume after this id (the header wins)")
                .answer(200, "the stream of events", EventStream.CONTENT_TYPE, OpenApi.string())
                .problems(400, 501, 503);
    }

    /** Ends every open stream (the server is stopping); their readers may reconnect with their last id. */
    void closeAll() {
        for (EventStream stream : open) {
            stream.finish();
        }
    }

    /** How many streams are open. */
    int openStreams() {
        return open.size();
    }

    private CompletableFuture<Void> open(Context ctx, CommitFeed commits, ResumePoint resume) {
        EventStream stream = new EventStream(ctx.res(), replies);
        Subscription subscription;
        try {
            subscription = commits.open(resume.after(), keepAlive, stream);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(resume.field(), resume.field() + " is not an id this feed gave: "
                    + abbreviate(e.getMessage() == null ? "refused" : e.getMessage()));
        }
        open.add(stream);
        stream.done().whenComplete((ignored, failure) -> open.remove(stream));
        // Jetty reports a connection it found broken, or a response it completed by itself (stopping)
        ctx.req().getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                stream.finish();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                stream.finish();
            }

            @Override
            public void onError(AsyncEvent event) {
                stream.finish();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        stream.begin(subscription);
        return stream.done();
    }

    private static ResumePoint resumePoint(Context ctx, boolean globalOrder) {
        String field = LAST_EVENT_ID;
        String value = ctx.header(LAST_EVENT_ID);
        if (value == null || value.isEmpty()) {
            field = LAST_EVENT_ID_PARAM;
            value = ctx.queryParam(LAST_EVENT_ID_PARAM);
        }
        if (value == null || value.isEmpty()) {
            return new ResumePoint(Optional.empty(), LAST_EVENT_ID);
        }
        if (globalOrder && !POSITION.matcher(value).matches()) {
            throw new InvalidInputException(field, field + " must be a global position, an integer >= 0 "
                    + "(0: from the beginning), was '" + abbreviate(value) + "'");
        }
        return new ResumePoint(Optional.of(new Checkpoint(value)), field);
    }
}
