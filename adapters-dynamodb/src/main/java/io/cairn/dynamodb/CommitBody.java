package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A commit's events and metadata as one blob, tagged with its encoding so that the format can change without
 * rewriting stored commits: a reader dispatches on the tag, a writer always writes the newest format.
 *
 * <p><b>Format {@value #V2}</b>: varint event count; per event its type, data, metadata and varint version; varint
 * metadata count; per entry its key and value; every string a varint byte length and its UTF-8 bytes.
 * <b>{@value #V2_ZSTD}</b> is the same, compressed with Zstandard level {@value #ZSTD_LEVEL} (zstd-jni). A writer
 * takes the compressed form unless it is no smaller. <b>{@value #V1}</b> and <b>{@value #V1_ZSTD}</b>, what Cairn
 * wrote before events had versions, are the same without the per-event version: their events read as version 1.
 *
 * <p><b>Why Zstandard.</b> Measured on commits of realistic ledger events (JSON of ~450 bytes with UUIDs, amounts,
 * references and timestamps, plus per-event causation metadata) of 1, 5, 50 and 500 events, on exactly the bytes
 * this class compresses: {@code java -jar benchmarks/target/cairn-benchmarks.jar codecs} (the README has the
 * table). DynamoDB charges writes per KB and reads per 4 KB, so the ratio is what saves money and item space:
 * Zstandard matches Deflate's ratio (and beats it from 5 events up) at several times its speed, and compresses
 * about 1.7x better than LZ4 or Snappy, whose speed advantage (tens of microseconds) is noise beside a network
 * round trip. A one-event commit fits one write unit with any codec.
 *
 * <p>Public only for {@link #frame}, which the codec benchmark compresses; encoding and decoding stay the
 * adapter's own.
 */
public final class CommitBody {

    static final String V1 = "cairn1";
    static final String V1_ZSTD = "cairn1+zstd";
    static final String V2 = "cairn2";
    static final String V2_ZSTD = "cairn2+zstd";
    static final int ZSTD_LEVEL = 3;

    /** An encoded body and the tag that says how to read it. */
    record Encoded(String encoding, byte[] bytes) {
        Encoded {
            requireNonNull(encoding, "encoding must not be null");
            requireNonNull(bytes, "bytes must not be null");
        }
    }

    /** What a body holds. */
    record Decoded(List<EventData> events, Map<String, String> metadata) {
    }

    private CommitBody() {
    }

    static Encoded encode(Commit commit) {
        byte[] plain = frame(commit);
        byte[] compressed = Zstd.compress(plain, ZSTD_LEVEL);
        return compressed.length < plain.length ? new Encoded(V2_ZSTD, compressed) : new Encoded(V2, plain);
    }

    /**
     * @throws IllegalStateException when the encoding is unknown to this version of Cairn or the bytes are not a
     *                               body of that encoding
     */
    static Decoded decode(String encoding, byte[] bytes) {
        return switch (encoding) {
            case V2 -> unframe(bytes, true);
            case V2_ZSTD -> unframe(decompress(bytes), true);
            case V1 -> unframe(bytes, false);
            case V1_ZSTD -> unframe(decompress(bytes), false);
            default -> throw new IllegalStateException("commit body has encoding '" + encoding
                    + "', which this version of Cairn cannot read (it reads " + V2 + ", " + V2_ZSTD + ", " + V1
                    + " and " + V1_ZSTD + ")");
        };
    }

    private static byte[] decompress(byte[] bytes) {
        try {
            long size = Zstd.getFrameContentSize(bytes);
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new IllegalStateException("commit body is not a Zstandard frame of known size");
            }
            return Zstd.decompress(bytes, (int) size);
        } catch (ZstdException e) {
            throw new IllegalStateException("commit body is corrupt: " + e.getMessage(), e);
        }
    }

    /** The commit in format {@value #V2}: the bytes that {@link #V2_ZSTD} compresses. */
    public static byte[] frame(Commit commit) {
        return frame(commit, true);
    }

    /** The commit in format {@value #V2}, or {@value #V1} (without versions) for reading tests of old items. */
    static byte[] frame(Commit commit, boolean versioned) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(commit.approximateSize() + 64, 1 << 20));
        writeVarint(out, commit.events().size());
        for (EventData event : commit.events()) {
            writeString(out, event.type());
            writeString(out, event.data());
            writeString(out, event.metadata());
            if (versioned) {
                writeVarint(out, event.version());
            } else if (event.version() != EventData.FIRST_VERSION) {
                throw new IllegalArgumentException("format " + V1 + " has no versions, so no event of version "
                        + event.version());
            }
        }
        writeVarint(out, commit.metadata().size());
        for (Map.Entry<String, String> entry : commit.metadata().entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
        return out.toByteArray();
    }

    private static Decoded unframe(byte[] bytes, boolean versioned) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int eventCount = readVarint(in);
            List<EventData> events = new ArrayList<>(Math.min(eventCount, 1024));
            for (int i = 0; i < eventCount; i++) {
                String type = readString(in);
                String data = readString(in);
                String metadata = readString(in);
                events.add(new EventData(type, data, metadata, versioned ? readVarint(in) : EventData.FIRST_VERSION));
            }
            int metadataCount = readVarint(in);
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int i = 0; i < metadataCount; i++) {
                metadata.put(readString(in), readString(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException("commit body is corrupt: " + in.remaining() + " bytes after its end");
            }
            return new Decoded(events, metadata);
        } catch (BufferUnderflowException | IllegalArgumentException | InvalidInputException e) {
            throw new IllegalStateException("commit body is corrupt: " + e.getMessage(), e);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, utf8.length);
        out.writeBytes(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = readVarint(in);
        if (length > in.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes with " + in.remaining() + " left");
        }
        ByteBuffer slice = in.slice().limit(length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a string that is not UTF-8", e);
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("a negative length");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 5 bytes");
    }
}
