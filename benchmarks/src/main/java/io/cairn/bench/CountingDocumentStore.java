package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A document store that counts what its projection asks it to write, and what that would cost on DynamoDB in
 * theory: a {@code TransactWriteItems} costs 2 write units per item per KB (rounded up, at least 1 KB), whatever
 * DynamoDB (or DynamoDB Local) reports. Item sizes follow the DynamoDB adapter's item layout
 * ({@code DynamoDbDocumentStore}, {@code DynamoDbViewStore}, {@code DynamoDbCheckpointStore}) and DynamoDB's size
 * rule (attribute name + value: UTF-8 bytes, bytes, or one byte per two digits plus one for a number). A delete is
 * counted at the 1 KB minimum: the deleted document's size is not known here, and the documents deleted (orders
 * with their last line released) are far smaller. A write refused on a condition is counted too, as DynamoDB charges
 * it. Everything else is passed through. Thread-safe.
 */
final class CountingDocumentStore<S> implements DocumentStore<S> {

    private static final long KB = 1024;
    private static final int TRANSACTIONAL_COST = 2;
    private static final String STATES_SUFFIX = ".streams";

    private final DocumentStore<S> delegate;
    private final StateCodec<S> codec;
    private final boolean estimate;
    private final LongAdder writes = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAdder overOneKb = new LongAdder();
    private final LongAdder theoreticalUnits = new LongAdder();

    /**
     * @param codec    how the states are encoded, to size their items
     * @param estimate whether to size items (DynamoDB); otherwise only writes and items are counted
     */
    CountingDocumentStore(DocumentStore<S> delegate, StateCodec<S> codec, boolean estimate) {
        this.delegate = requireNonNull(delegate, "delegate must not be null");
        this.codec = requireNonNull(codec, "codec must not be null");
        this.estimate = estimate;
    }

    /** The counts so far. */
    record Counts(long writes, long items, long overOneKb, long theoreticalUnits) {

        Counts minus(Counts earlier) {
            return new Counts(writes - earlier.writes, items - earlier.items, overOneKb - earlier.overOneKb,
                    theoreticalUnits - earlier.theoreticalUnits);
        }
    }

    Counts counts() {
        return new Counts(writes.sum(), items.sum(), overOneKb.sum(), theoreticalUnits.sum());
    }

    @Override
    public boolean write(List<DocumentWrite> documents, List<ViewWrite<S>> states, Optional<Checkpoint> checkpoint) {
        writes.increment();
        items.add(documents.size() + states.size() + (checkpoint.isPresent() ? 1 : 0));
        if (estimate) {
            String projection = delegate.projection();
            for (DocumentWrite write : documents) {
                if (write instanceof DocumentWrite.Put put) {
                    charge(1 + utf8(projection) + 1 + utf8(put.key()) + 4 + utf8(put.json()) + 1
                            + numberSize(put.expectedVersion() + 1));
                } else {
                    charge(KB);
                }
            }
            String view = projection + STATES_SUFFIX;
            for (ViewWrite<S> write : states) {
                Snapshot<S> state = write.view();
                String stream = state.stream().value();
                charge(2 + utf8(view + "/" + stream) + 1 + utf8(stream) + 1 + numberSize(state.revision())
                        + 2 + numberSize(codec.schemaVersion()) + 2 + utf8(codec.encode(state.state()))
                        + 3 + 16L * state.recentCommitIds().size());
            }
            checkpoint.ifPresent(c -> charge(1 + utf8(projection) + 2 + utf8(c.value())));
        }
        return delegate.write(documents, states, checkpoint);
    }

    private void charge(long bytes) {
        if (bytes > KB) {
            overOneKb.increment();
        }
        theoreticalUnits.add(TRANSACTIONAL_COST * Math.max(1, (bytes + KB - 1) / KB));
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long numberSize(long number) {
        String digits = Long.toString(Math.abs(number)).replaceAll("0+$", "");
        return (Math.max(1, digits.length()) + 1) / 2 + 1;
    }

    @Override
    public String projection() {
        return delegate.projection();
    }

    @Override
    public long maxDocumentBytes() {
        return delegate.maxDocumentBytes();
    }

    @Override
    public Optional<StoredDocument> document(String key) {
        return delegate.document(key);
    }

    @Override
    public Map<String, StoredDocument> documents(Set<String> keys) {
        return delegate.documents(keys);
    }

    @Override
    public DocumentPage list(String prefix, Optional<String> after, int limit) {
        return delegate.list(prefix, after, limit);
    }

    @Override
    public int maxItemsPerWrite() {
        return delegate.maxItemsPerWrite();
    }

    @Override
    public long maxBytesPerWrite() {
        return delegate.maxBytesPerWrite();
    }

    @Override
    public CheckpointStore checkpoints() {
        return delegate.checkpoints();
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        return delegate.get(stream);
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        return delegate.put(view, replacing);
    }

    @Override
    public void deleteAll() {
        delegate.deleteAll();
    }
}
