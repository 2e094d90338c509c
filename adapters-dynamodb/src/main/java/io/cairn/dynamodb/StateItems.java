package io.cairn.dynamodb;

import static io.cairn.dynamodb.CommitItems.binary;
import static io.cairn.dynamodb.CommitItems.longOf;
import static io.cairn.dynamodb.CommitItems.number;
import static io.cairn.dynamodb.CommitItems.string;

import io.cairn.application.port.Snapshot;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@link Snapshot} as item attributes, for the snapshot item of the events table and for view items:
 * {@code v} (N) the revision it reflects, {@code sv} (N) the state codec's schema version, {@code st} (S) the state
 * as the codec's JSON, {@code ids} (B) the recent commit ids, 16 bytes each, oldest first.
 */
final class StateItems {

    static final String REVISION = "v";
    static final String SCHEMA_VERSION = "sv";
    static final String STATE = "st";
    static final String RECENT_COMMIT_IDS = "ids";

    private StateItems() {
    }

    /** The snapshot's attributes, to which the caller adds its key. */
    static <S> Map<String, AttributeValue> attributes(Snapshot<S> snapshot, StateCodec<S> codec) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(REVISION, number(snapshot.revision()));
        item.put(SCHEMA_VERSION, number(codec.schemaVersion()));
        item.put(STATE, AttributeValue.fromS(codec.encode(snapshot.state())));
        ByteBuffer ids = ByteBuffer.allocate(16 * snapshot.recentCommitIds().size());
        for (UUID id : snapshot.recentCommitIds()) {
            ids.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        }
        item.put(RECENT_COMMIT_IDS, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(ids.array())));
        return item;
    }

    /**
     * The snapshot an item holds; empty when there is none or it was written under another schema version, so that
     * a changed state shape is rebuilt from events, never misread.
     *
     * @throws IllegalStateException when the item is malformed or its state does not decode
     */
    static <S> Optional<Snapshot<S>> snapshot(StreamId stream, Map<String, AttributeValue> item, StateCodec<S> codec) {
        if (item == null || !item.containsKey(REVISION)) {
            return Optional.empty();
        }
        if (longOf(item, SCHEMA_VERSION) != codec.schemaVersion()) {
            return Optional.empty();
        }
        try {
            S state = codec.decode(string(item, STATE));
            ByteBuffer packed = ByteBuffer.wrap(binary(item, RECENT_COMMIT_IDS));
            if (packed.remaining() % 16 != 0) {
                throw new IllegalStateException("its recent commit ids are " + packed.remaining() + " bytes");
            }
            List<UUID> ids = new ArrayList<>(packed.remaining() / 16);
            while (packed.hasRemaining()) {
                ids.add(new UUID(packed.getLong(), packed.getLong()));
            }
            return Optional.of(new Snapshot<>(stream, longOf(item, REVISION), state, ids));
        } catch (InvalidInputException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("the stored state of " + stream + " cannot be read: " + e.getMessage(), e);
        }
    }
}
