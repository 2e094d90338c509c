package io.cairn.http;

/**
 * What one caller may ask of the HTTP API. Immutable. Every value is positive; {@link #unlimited()} lifts them all.
 *
 * @param requestsPerSecond  the sustained rate of requests per principal (per client address without
 *                           authentication), refilled continuously; 0: no rate limit. Over it: 429 with
 *                           {@code Retry-After}
 * @param requestBurst       how many requests a caller may send at once after being idle (the bucket's capacity),
 *                           at least 1 when there is a rate
 * @param feedSubscribers    how many {@code GET /feed} streams may be open at once (each holds a thread); over it:
 *                           503 with {@code Retry-After}
 * @param eventsPerCommit    the most events one raw append may carry; over it: 413 {@code too-many-events}
 * @param eventBytes         the largest event a raw append may carry (type, data and metadata, UTF-8); over it: 413
 *                           {@code event-too-large}
 */
public record Limits(long requestsPerSecond, long requestBurst, int feedSubscribers, int eventsPerCommit,
                     long eventBytes) {

    public static final long DEFAULT_REQUESTS_PER_SECOND = 1_000;
    public static final long DEFAULT_REQUEST_BURST = 2_000;
    public static final int DEFAULT_FEED_SUBSCRIBERS = 100;
    public static final int DEFAULT_EVENTS_PER_COMMIT = 1_000;
    public static final long DEFAULT_EVENT_BYTES = 256 * 1024;

    public Limits {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond must be >= 0, was " + requestsPerSecond);
        }
        if (requestsPerSecond > 0 && requestBurst < 1) {
            throw new IllegalArgumentException("requestBurst must be >= 1, was " + requestBurst);
        }
        if (feedSubscribers < 1) {
            throw new IllegalArgumentException("feedSubscribers must be >= 1, was " + feedSubscribers);
        }
        if (eventsPerCommit < 1) {
            throw new IllegalArgumentException("eventsPerCommit must be >= 1, was " + eventsPerCommit);
        }
        if (eventBytes < 1) {
            throw new IllegalArgumentException("eventBytes must be >= 1, was " + eventBytes);
        }
    }

    /** 1 000 requests/s with bursts of 2 000, 100 feed subscribers, 1 000 events per commit of 256 KiB at most. */
    public static Limits defaults() {
        return new Limits(DEFAULT_REQUESTS_PER_SECOND, DEFAULT_REQUEST_BURST, DEFAULT_FEED_SUBSCRIBERS,
                DEFAULT_EVENTS_PER_COMMIT, DEFAULT_EVENT_BYTES);
    }

    /** No limit but the store's own (a commit's size) and the request body's. */
    public static Limits unlimited() {
        return new Limits(0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * These limits with another request rate.
     *
     * @throws IllegalArgumentException for a negative rate, or a rate with a burst below 1
     */
    public Limits withRequestRate(long perSecond, long burst) {
        return new Limits(perSecond, burst, feedSubscribers, eventsPerCommit, eventBytes);
    }

    /** These limits with another bound on feed streams. @throws IllegalArgumentException below 1 */
    public Limits withFeedSubscribers(int subscribers) {
        return new Limits(requestsPerSecond, requestBurst, subscribers, eventsPerCommit, eventBytes);
    }

    /** These limits with other bounds on a raw append's events. @throws IllegalArgumentException below 1 */
    public Limits withEvents(int perCommit, long bytes) {
        return new Limits(requestsPerSecond, requestBurst, feedSubscribers, perCommit, bytes);
    }
}
