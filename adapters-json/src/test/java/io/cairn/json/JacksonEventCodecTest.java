package io.cairn.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.EventCodec.UnknownEventTypeException;
import io.cairn.domain.EventData;
import io.cairn.domain.InvalidInputException;
import io.cairn.json.JacksonEventCodecTest.AccountEvent.AccountClosed;
import io.cairn.json.JacksonEventCodecTest.AccountEvent.AccountOpened;
import io.cairn.json.JacksonEventCodecTest.AccountEvent.Deposited;
import io.cairn.json.JacksonEventCodecTest.AccountState.Status;
import org.junit.jupiter.api.Test;

class JacksonEventCodecTest {

    /** Events shaped like a ledger's (the codec module knows no domain). */
    sealed interface AccountEvent {
        record AccountOpened(String owner, String currency, long overdraftLimit) implements AccountEvent {
        }

        record Deposited(long amount) implements AccountEvent {
        }

        record Withdrawn(long amount) implements AccountEvent {
        }

        record AccountClosed() implements AccountEvent {
        }
    }

    record AccountState(Status status, String owner, String currency, long balance, long overdraftLimit) {
        static final AccountState NONE = new AccountState(Status.NONE, null, null, 0, 0);

        enum Status { NONE, OPEN, CLOSED }
    }

    private final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);

    @Test
    void an_event_is_stored_under_its_record_name_with_its_fields_as_json() {
        EventData data = codec.encode(new AccountOpened("Ada", "EUR", 50));

        assertThat(data.type()).isEqualTo("AccountOpened");
        assertThat(data.data()).isEqualTo("{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":50}");
        assertThat(codec.decode(data)).isEqualTo(new AccountOpened("Ada", "EUR", 50));
    }

    @Test
    void every_permitted_record_is_a_type_and_an_event_without_fields_round_trips() {
        assertThat(codec.types()).containsExactlyInAnyOrder("AccountOpened", "Deposited", "Withdrawn", "AccountClosed");
        assertThat(codec.decode(codec.encode(new AccountClosed()))).isEqualTo(new AccountClosed());
    }

    @Test
    void an_unknown_type_is_refused_naming_the_known_ones() {
        assertThatThrownBy(() -> codec.decode(new EventData("Teleported", "{}")))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("Teleported")
                .hasMessageContaining("Deposited");
    }

    @Test
    void data_that_does_not_fit_the_type_is_invalid_input() {
        assertThatThrownBy(() -> codec.decode(new EventData("Deposited", "{\"amount\":\"100\"}")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> codec.decode(new EventData("Deposited", "{\"amount\":1.5}")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> codec.decode(new EventData("Deposited", "{\"amount\":1,\"extra\":2}")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> codec.decode(new EventData("Deposited", "{}")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> codec.decode(new EventData("Deposited", "not json")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void a_state_round_trips_including_its_nulls() {
        JacksonStateCodec<AccountState> states = new JacksonStateCodec<>(AccountState.class, 3);
        AccountState open = new AccountState(Status.OPEN, "Ada", "EUR", -5, 10);

        assertThat(states.decode(states.encode(open))).isEqualTo(open);
        assertThat(states.decode(states.encode(AccountState.NONE))).isEqualTo(AccountState.NONE);
        assertThat(states.schemaVersion()).isEqualTo(3);
    }

    @Test
    void a_codec_needs_a_sealed_interface_of_records() {
        assertThatThrownBy(() -> JacksonEventCodec.forSealed(Runnable.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_event_of_another_aggregate_cannot_be_encoded() {
        assertThatThrownBy(() -> encodeForeign(codec))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(codec.encode(new Deposited(1)).type()).isEqualTo("Deposited");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void encodeForeign(JacksonEventCodec codec) {
        codec.encode(new Object());
    }
}
