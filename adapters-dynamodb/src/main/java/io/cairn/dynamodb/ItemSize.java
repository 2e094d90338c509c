package io.cairn.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it against its 400 KB item limit and in capacity units: per attribute, the
 * UTF-8 length of its name plus its value's size (strings: UTF-8 length; binaries: byte length; numbers: one byte
 * per two significant digits plus one). Only the attribute types Cairn writes are accepted.
 */
final class ItemSize {

    /** DynamoDB's item limit, 400 KB. */
    static final long LIMIT = 400 * 1024;

    private ItemSize() {
    }

    /** @throws IllegalArgumentException for an attribute type Cairn does not write */
    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + valueSize(attribute.getKey(), attribute.getValue());
        }
        return size;
    }

    /** Write units a put of {@code item} costs: 1 per KB, rounded up. */
    static double writeUnits(Map<String, AttributeValue> item) {
        return Math.max(1, (of(item) + 1023) / 1024);
    }

    private static long valueSize(String name, AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8Length(value.s());
            case B -> value.b().asByteArrayUnsafe().length;
            case N -> numberSize(value.n());
            default -> throw new IllegalArgumentException("attribute " + name + " is of type " + value.type()
                    + ", which Cairn does not write");
        };
    }

    private static long numberSize(String number) {
        BigDecimal decimal = new BigDecimal(number).stripTrailingZeros();
        int digits = decimal.signum() == 0 ? 1 : decimal.precision();
        return (digits + 1) / 2 + 1;
    }

    static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
