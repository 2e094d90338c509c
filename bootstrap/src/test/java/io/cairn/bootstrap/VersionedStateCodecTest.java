package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.accounts.AccountState;
import io.cairn.json.JacksonStateCodec;
import org.junit.jupiter.api.Test;

class VersionedStateCodecTest {

    private final AccountState ada = new AccountState(AccountState.Status.OPEN, "Ada", "EUR", 70, 0);

    @Test
    void a_state_round_trips_under_its_aggregates_version() {
        var codec = new VersionedStateCodec<>(new JacksonStateCodec<>(AccountState.class, 3), "owners");

        String stored = codec.encode(ada);

        assertThat(stored).startsWith("{\"v\":3,\"state\":{");
        assertThat(codec.decode(stored)).isEqualTo(ada);
        assertThat(codec.schemaVersion()).as("never changes, so the store never hides a state").isEqualTo(1);
    }

    @Test
    void a_state_of_another_version_is_an_error_naming_both_never_an_absent_state() {
        String stored = new VersionedStateCodec<>(new JacksonStateCodec<>(AccountState.class, 1), "owners")
                .encode(ada);
        var newer = new VersionedStateCodec<>(new JacksonStateCodec<>(AccountState.class, 2), "owners");

        assertThatThrownBy(() -> newer.decode(stored)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owners").hasMessageContaining("version 1").hasMessageContaining("version 2");
    }
}
