package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.accounts.AccountState;
import io.cairn.application.projection.Tagged;
import io.cairn.inventory.ProductState;
import io.cairn.json.JacksonStateCodec;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TaggedStateCodecTest {

    private final AccountState ada = new AccountState(AccountState.Status.OPEN, "Ada", "EUR", 70, 0);
    private final ProductState lamp = new ProductState("Lamp", "north", 5, 2, new TreeMap<>(Map.of("o-1", 2L)));

    @Test
    void states_of_several_aggregates_round_trip_each_with_its_aggregates_version() {
        var codec = new TaggedStateCodec(Map.of("account", new JacksonStateCodec<>(AccountState.class, 3),
                "product", new JacksonStateCodec<>(ProductState.class, 1)), "customers");

        String account = codec.encode(new Tagged("account", ada));
        String product = codec.encode(new Tagged("product", lamp));

        assertThat(account).startsWith("{\"category\":\"account\",\"v\":3,\"state\":{");
        assertThat(codec.decode(account)).isEqualTo(new Tagged("account", ada));
        assertThat(codec.decode(product)).isEqualTo(new Tagged("product", lamp));
        assertThat(codec.schemaVersion()).as("never changes, so the store never hides a state").isEqualTo(1);
    }

    @Test
    void a_state_of_another_version_is_an_error_naming_both_never_an_absent_state() {
        String stored = new TaggedStateCodec(Map.of("account", new JacksonStateCodec<>(AccountState.class, 1)),
                "owners").encode(new Tagged("account", ada));
        var newer = new TaggedStateCodec(Map.of("account", new JacksonStateCodec<>(AccountState.class, 2)), "owners");

        assertThatThrownBy(() -> newer.decode(stored)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owners").hasMessageContaining("version 1").hasMessageContaining("version 2");
    }
}
