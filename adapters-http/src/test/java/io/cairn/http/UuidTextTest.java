package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link IdempotentPosts#isUuidText}, checked by hand, accepts exactly what the regular expression it replaced did. */
class UuidTextTest {

    /** The pattern the check replaced (as {@code matches()}: the whole text). */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Test
    void canonical_uuids_in_either_case_are_uuid_text() {
        for (int i = 0; i < 1_000; i++) {
            String text = UUID.randomUUID().toString();
            assertThat(IdempotentPosts.isUuidText(text)).as(text).isTrue();
            assertThat(IdempotentPosts.isUuidText(text.toUpperCase(Locale.ROOT))).as(text).isTrue();
        }
        assertThat(IdempotentPosts.isUuidText("00000000-0000-0000-0000-000000000000")).isTrue();
        assertThat(IdempotentPosts.isUuidText("FFFFFFFF-ffff-AbCd-0123-456789abcdef")).isTrue();
    }

    @Test
    void anything_else_is_not_uuid_text() {
        List<String> refused = List.of("", "x", "not-a-uuid", "{12345678-1234-1234-1234-123456789abc}",
                "12345678-1234-1234-1234-123456789abc ", " 12345678-1234-1234-1234-123456789abc",
                "12345678-1234-1234-1234-123456789ab", "12345678-1234-1234-1234-123456789abcd",
                "123456781234-1234-1234-123456789abcd", "12345678-1234-1234-1234+123456789abc",
                "g2345678-1234-1234-1234-123456789abc", "12345678-1234-1234-1234-123456789abG",
                "1234567-81234-1234-1234-123456789abc", "12345678-1234-1234-1234-12345678-abc",
                "1234567\u0663-1234-1234-1234-123456789abc", "\uff11234567-1234-1234-1234-123456789abc",
                "12345678\u20101234-1234-1234-123456789abc", "12345678-1234-1234-1234-123456789ab\n",
                "123456789123456789123456789123456789");
        for (String text : refused) {
            assertThat(IdempotentPosts.isUuidText(text)).as(text).isFalse();
            assertThat(UUID_TEXT.matcher(text).matches()).as(text).isFalse();
        }
    }

    @Test
    void the_check_agrees_with_the_pattern_on_random_near_misses() {
        Random random = new Random(13);
        String alphabet = "0123456789abcdefABCDEFgG-_ {}\u0663\uff11";
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            char[] text = UUID.randomUUID().toString().toCharArray();
            int changes = 1 + random.nextInt(2);
            for (int c = 0; c < changes; c++) {
                text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String changed = new String(text);
            texts.add(random.nextInt(10) == 0 ? changed.substring(0, random.nextInt(changed.length())) : changed);
        }
        for (String text : texts) {
            assertThat(IdempotentPosts.isUuidText(text)).as(text).isEqualTo(UUID_TEXT.matcher(text).matches());
        }
    }
}
