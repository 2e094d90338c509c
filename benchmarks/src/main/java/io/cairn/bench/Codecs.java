package io.cairn.bench;

import com.github.luben.zstd.Zstd;
import io.cairn.domain.Commit;
import io.cairn.dynamodb.CommitBody;
import io.cairn.domain.EventData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.xerial.snappy.Snappy;

/**
 * The measurement behind the DynamoDB adapter's choice of codec ({@link CommitBody}): what four codecs make of a
 * commit body, by commit size. Each size gets {@code commits} ledger-style commits (see {@link #ledgerCommit})
 * between {@value #ACCOUNTS} accounts, generated from a fixed seed; each commit is framed by
 * {@link CommitBody#frame}, the bytes the adapter compresses, and the codecs compress those bytes: JDK Deflate
 * level 6 (a fresh {@link Deflater} and {@link Inflater} per commit, as a stateless codec would use them), Zstandard
 * level 3 (zstd-jni, what {@code CommitBody} writes), LZ4 (lz4-java's fast compressor, safe decompressor) and Snappy
 * (snappy-java).
 *
 * <p>Per codec and size the table shows the mean raw and compressed bytes per commit, their ratio (total raw over
 * total compressed) and the mean microseconds to encode and to decode one commit. A cell warms up for
 * {@code warmUp}, then runs rounds (every commit encoded, then every commit decoded, each pass timed as a whole)
 * until it has run {@code measure} and at least {@value #MIN_ROUNDS} rounds. Every decode is checked, outside the
 * timing, to give back the framed bytes exactly.
 *
 * <p>Deflate and LZ4 blocks do not record their uncompressed length and Zstandard and Snappy do, so the first two
 * are prefixed with it (4 bytes, counted in their size), so that every decoder allocates its output exactly once.
 */
final class Codecs {

    /** A stateless byte codec. */
    enum Codec {
        DEFLATE_6("deflate-6") {
            @Override
            byte[] encode(byte[] raw) {
                Deflater deflater = new Deflater(6);
                try {
                    deflater.setInput(raw);
                    deflater.finish();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
                    out.writeBytes(ByteBuffer.allocate(4).putInt(raw.length).array());
                    byte[] chunk = new byte[Math.max(64, raw.length / 2)];
                    while (!deflater.finished()) {
                        out.write(chunk, 0, deflater.deflate(chunk));
                    }
                    return out.toByteArray();
                } finally {
                    deflater.end();
                }
            }

            @Override
            byte[] decode(byte[] encoded) {
                Inflater inflater = new Inflater();
                try {
                    byte[] raw = new byte[ByteBuffer.wrap(encoded).getInt()];
                    inflater.setInput(encoded, 4, encoded.length - 4);
                    int n = inflater.inflate(raw);
                    if (n != raw.length || !inflater.finished()) {
                        throw new IllegalStateException("deflate stream of the wrong length");
                    }
                    return raw;
                } catch (DataFormatException e) {
                    throw new IllegalStateException(e);
                } finally {
                    inflater.end();
                }
            }
        },
        ZSTD_3("zstd-3") {
            @Override
            byte[] encode(byte[] raw) {
                return Zstd.compress(raw, 3);
            }

            @Override
            byte[] decode(byte[] encoded) {
                return Zstd.decompress(encoded, (int) Zstd.getFrameContentSize(encoded));
            }
        },
        LZ4("lz4") {
            @Override
            byte[] encode(byte[] raw) {
                byte[] out = new byte[4 + LZ4_COMPRESSOR.maxCompressedLength(raw.length)];
                ByteBuffer.wrap(out).putInt(raw.length);
                int n = LZ4_COMPRESSOR.compress(raw, 0, raw.length, out, 4, out.length - 4);
                return Arrays.copyOf(out, 4 + n);
            }

            @Override
            byte[] decode(byte[] encoded) {
                byte[] raw = new byte[ByteBuffer.wrap(encoded).getInt()];
                int n = LZ4_DECOMPRESSOR.decompress(encoded, 4, encoded.length - 4, raw, 0, raw.length);
                if (n != raw.length) {
                    throw new IllegalStateException("lz4 block of the wrong length");
                }
                return raw;
            }
        },
        SNAPPY("snappy") {
            @Override
            byte[] encode(byte[] raw) {
                try {
                    return Snappy.compress(raw);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            byte[] decode(byte[] encoded) {
                try {
                    return Snappy.uncompress(encoded);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        final String label;

        Codec(String label) {
            this.label = label;
        }

        abstract byte[] encode(byte[] raw);

        abstract byte[] decode(byte[] encoded);
    }

    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final int MIN_ROUNDS = 2;

    private static final int ACCOUNTS = 1024;
    private static final Instant EPOCH = Instant.parse("2024-03-01T00:00:00Z");
    private static final String[] TYPES = {"ledger.EntryPosted", "ledger.EntryPosted", "ledger.EntryPosted",
        "ledger.FeeCharged", "ledger.FundsReserved", "ledger.FundsReleased"};
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "CHF"};
    private static final String[] DESCRIPTIONS = {"Invoice payment", "Card settlement", "Salary", "Refund",
        "Standing order", "SEPA credit transfer", "Interest accrual", "Monthly account fee", "Chargeback",
        "Currency conversion"};
    private static final String[] USERS = {"svc-payments", "svc-cards", "svc-treasury", "ops-ada", "ops-grace"};

    /** One row of the table: a codec on commits of {@code events} events, means per commit. */
    record Row(int events, Codec codec, int commits, int rounds, double rawBytes, double sizeBytes,
               double encodeMicros, double decodeMicros) {

        double ratio() {
            return rawBytes / sizeBytes;
        }
    }

    private final Consumer<String> progress;

    Codecs(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * @param sizes   events per commit, one size per group of rows
     * @param commits distinct commits per size
     * @param seed    seeds the commits' contents, so that every run compresses the same bytes
     */
    List<Row> run(List<Integer> sizes, int commits, long seed, Duration warmUp, Duration measure) {
        List<Row> rows = new ArrayList<>();
        for (int events : sizes) {
            Random random = new Random(seed + events);
            List<UUID> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(uuid(random));
            }
            byte[][] raw = new byte[commits][];
            for (int i = 0; i < commits; i++) {
                raw[i] = CommitBody.frame(ledgerCommit(random, accounts, events, i));
            }
            for (Codec codec : Codec.values()) {
                progress.accept(codec.label + " on " + commits + " commits of " + events + " event(s)");
                rows.add(measure(events, codec, raw, warmUp, measure));
            }
        }
        return rows;
    }

    private static Row measure(int events, Codec codec, byte[][] raw, Duration warmUp, Duration measure) {
        byte[][] encoded = new byte[raw.length][];
        byte[][] decoded = new byte[raw.length][];
        long warmUpEnd = System.nanoTime() + warmUp.toNanos();
        do {
            round(codec, raw, encoded, decoded);
        } while (System.nanoTime() < warmUpEnd);

        long encodeNanos = 0;
        long decodeNanos = 0;
        int rounds = 0;
        long end = System.nanoTime() + measure.toNanos();
        while (rounds < MIN_ROUNDS || System.nanoTime() < end) {
            long[] nanos = round(codec, raw, encoded, decoded);
            encodeNanos += nanos[0];
            decodeNanos += nanos[1];
            rounds++;
        }
        long rawBytes = 0;
        long encodedBytes = 0;
        for (int i = 0; i < raw.length; i++) {
            rawBytes += raw[i].length;
            encodedBytes += encoded[i].length;
        }
        double operations = (double) rounds * raw.length;
        return new Row(events, codec, raw.length, rounds, (double) rawBytes / raw.length,
                (double) encodedBytes / raw.length, encodeNanos / operations / 1_000, decodeNanos / operations / 1_000);
    }

    /** Encodes every commit, then decodes every commit; checks the round trips; returns the two passes' nanos. */
    private static long[] round(Codec codec, byte[][] raw, byte[][] encoded, byte[][] decoded) {
        long start = System.nanoTime();
        for (int i = 0; i < raw.length; i++) {
            encoded[i] = codec.encode(raw[i]);
        }
        long encodeNanos = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < raw.length; i++) {
            decoded[i] = codec.decode(encoded[i]);
        }
        long decodeNanos = System.nanoTime() - start;
        for (int i = 0; i < raw.length; i++) {
            if (!Arrays.equals(raw[i], decoded[i])) {
                throw new IllegalStateException(codec.label + " did not give back commit " + i + " of "
                        + raw.length + " (" + raw[i].length + " bytes)");
            }
        }
        return new long[] {encodeNanos, decodeNanos};
    }

    /**
     * A ledger-style commit, the {@code index}-th of its run: one command that posts {@code events} entries between
     * accounts drawn from {@code accounts}. Each event is about 400 bytes: JSON data with a fresh entry id, two
     * account ids, a signed amount and its currency, a reference, a description and an ISO booking timestamp;
     * JSON metadata with its causation (the command) and correlation ids. The commit's metadata names the user.
     */
    static Commit ledgerCommit(Random random, List<UUID> accounts, int events, int index) {
        UUID command = uuid(random);
        UUID correlation = uuid(random);
        Instant booked = EPOCH.plus(index * 37L + random.nextInt(37), ChronoUnit.SECONDS)
                .plusMillis(random.nextInt(1000));
        List<EventData> data = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            String json = String.format(Locale.ROOT, "{\"entryId\":\"%s\",\"accountId\":\"%s\","
                            + "\"counterpartyId\":\"%s\",\"amount\":{\"value\":\"%s%d.%02d\","
                            + "\"currency\":\"%s\"},\"reference\":\"%s\",\"description\":\"%s\",\"bookedAt\":\"%s\"}",
                    uuid(random), accounts.get(random.nextInt(accounts.size())),
                    accounts.get(random.nextInt(accounts.size())), random.nextBoolean() ? "-" : "",
                    amountUnits(random), random.nextInt(100), CURRENCIES[random.nextInt(CURRENCIES.length)],
                    reference(random), DESCRIPTIONS[random.nextInt(DESCRIPTIONS.length)],
                    booked.plusMillis(i * 3L + random.nextInt(3)));
            String metadata = String.format(Locale.ROOT, "{\"causationId\":\"%s\",\"correlationId\":\"%s\"}",
                    command, correlation);
            data.add(new EventData(TYPES[random.nextInt(TYPES.length)], json, metadata));
        }
        return new Commit(uuid(random), data, Map.of("user", USERS[random.nextInt(USERS.length)]));
    }

    /** Mostly small amounts, now and then a large one. */
    private static long amountUnits(Random random) {
        return random.nextInt(10) == 0 ? random.nextInt(1_000_000) : random.nextInt(500);
    }

    private static String reference(Random random) {
        return random.nextBoolean()
                ? String.format(Locale.ROOT, "INV-%d-%06d", 2023 + random.nextInt(2), random.nextInt(1_000_000))
                : String.format(Locale.ROOT, "E2E-%012X", random.nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    private static UUID uuid(Random random) {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(3L << 62)) | (1L << 63));
    }

    /** The rows as a Markdown table. */
    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| events | raw B | codec | size B | ratio | encode µs | decode µs |\n");
        out.append("|---:|---:|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %,d | %,.0f | %s | %,.0f | %.2f | %,.1f | %,.1f |%n",
                    row.events(), row.rawBytes(), row.codec().label, row.sizeBytes(), row.ratio(),
                    row.encodeMicros(), row.decodeMicros()));
        }
        return out.toString();
    }
}
