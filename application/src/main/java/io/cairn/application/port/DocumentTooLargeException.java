package io.cairn.application.port;

/**
 * A document is larger than its store can keep in one item or row (400 KB on DynamoDB). Nothing was written. A
 * projection that makes one stops at the event that did, naming it.
 */
public final class DocumentTooLargeException extends RuntimeException {

    private final String projection;
    private final String key;

    public DocumentTooLargeException(String projection, String key, long bytes, long limit) {
        super("document '" + key + "' of projection " + projection + " would take " + bytes
                + " bytes; the store keeps at most " + limit);
        this.projection = projection;
        this.key = key;
    }

    public String projection() {
        return projection;
    }

    public String key() {
        return key;
    }
}
