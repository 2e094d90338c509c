package io.cairn.testkit;

import static java.util.Objects.requireNonNull;

import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A given/when/then fixture for one {@link Aggregate}, without a store: the given events are folded with
 * {@link Aggregate#evolve}, the command is decided with {@link Aggregate#decide}, and the {@link CommandOutcome}
 * asserts what came out.
 *
 * <pre>{@code
 * AggregateFixture.of(new Products())
 *         .given(new ProductRegistered("Lamp", "north"), new StockReceived(5))
 *         .when(new Reserve("o-1", 2))
 *         .thenEvents(new StockReserved("o-1", 2));
 * }</pre>
 *
 * <p>Immutable and thread-safe: every {@code given} returns a new fixture, so a fixture can be shared as a
 * starting point by several tests. No method accepts null: each throws {@link NullPointerException} naming the
 * argument. The aggregate's own functions run on the calling thread, when {@link #when} is called.
 *
 * @param <C> command type
 * @param <E> event type
 * @param <S> state type
 */
public final class AggregateFixture<C, E, S> {

    private final Aggregate<C, E, S> aggregate;
    private final AggregateType<C, E, S> type; // null unless built from a registration
    private final S start;
    private final List<E> history;

    private AggregateFixture(Aggregate<C, E, S> aggregate, AggregateType<C, E, S> type, S start, List<E> history) {
        this.aggregate = aggregate;
        this.type = type;
        this.start = start;
        this.history = history;
    }

    /**
     * A fixture for {@code aggregate}, starting from its {@link Aggregate#initialState()} with no events.
     *
     * @throws NullPointerException when {@code aggregate} or its initial state is null
     */
    public static <C, E, S> AggregateFixture<C, E, S> of(Aggregate<C, E, S> aggregate) {
        requireNonNull(aggregate, "aggregate must not be null");
        return new AggregateFixture<>(aggregate, null,
                requireNonNull(aggregate.initialState(), "the aggregate's initial state must not be null"), List.of());
    }

    /**
     * A fixture for a registered aggregate: as {@link #of(Aggregate)} for {@link AggregateType#aggregate()}, and
     * {@link #when(String, String)} reads commands with the registered {@link CommandReader}s.
     *
     * @throws NullPointerException when {@code type} is null
     */
    public static <C, E, S> AggregateFixture<C, E, S> of(AggregateType<C, E, S> type) {
        requireNonNull(type, "type must not be null");
        AggregateFixture<C, E, S> plain = of(type.aggregate());
        return new AggregateFixture<>(plain.aggregate, type, plain.start, plain.history);
    }

    /**
     * The history so far followed by {@code events}, in order; may be called again to add more.
     *
     * @param events not null, no null element; none is the same as not calling it
     * @return a new fixture; this one is unchanged
     */
    @SafeVarargs
    public final AggregateFixture<C, E, S> given(E... events) {
        requireNonNull(events, "events must not be null");
        return given(List.of(events));
    }

    /**
     * The history so far followed by {@code events}, in order.
     *
     * @param events not null, no null element
     * @return a new fixture; this one is unchanged
     */
    public AggregateFixture<C, E, S> given(List<? extends E> events) {
        requireNonNull(events, "events must not be null");
        List<E> more = new ArrayList<>(history);
        for (E event : events) {
            more.add(requireNonNull(event, "events must not contain null"));
        }
        return new AggregateFixture<>(aggregate, type, start, Collections.unmodifiableList(more));
    }

    /**
     * Starts from {@code state} instead of the initial state, forgetting the events given so far: for states
     * that are tedious to reach by events (test-data builders). Events given afterwards are folded onto it.
     *
     * @param state not null
     * @return a new fixture; this one is unchanged
     */
    public AggregateFixture<C, E, S> givenState(S state) {
        requireNonNull(state, "state must not be null");
        return new AggregateFixture<>(aggregate, type, state, List.of());
    }

    /**
     * The state the given events lead to: the starting state folded with {@link Aggregate#evolve}.
     *
     * @return never null
     * @throws RuntimeException whatever {@code evolve} throws for a given event (a bug in the aggregate or the test)
     */
    public S state() {
        return requireNonNull(aggregate.fold(start, history), "evolve returned a null state");
    }

    /**
     * Decides {@code command} against {@link #state()}. A {@link RuntimeException} thrown by {@code decide} is
     * kept in the outcome, for {@link CommandOutcome#thenThrows}; the other assertions fail on it.
     *
     * @param command not null
     * @return what the aggregate decided, to assert on
     * @throws RuntimeException whatever {@code evolve} throws for a given event
     */
    public CommandOutcome<E, S> when(C command) {
        requireNonNull(command, "command must not be null");
        S state = state();
        return decide(command.toString(), state, command);
    }

    /**
     * Reads {@code json} with the reader registered for {@code command}, as Cairn reads the body of
     * {@code POST /{collection}/{id}/{command}}, then decides it like {@link #when(Object)}. A
     * {@link RuntimeException} from the reader (an {@link io.cairn.domain.InvalidInputException} for a body that
     * does not fit, answered 400 by Cairn) is kept in the outcome, for {@link CommandOutcome#thenInvalidInput}.
     *
     * @param command a command name of the registration, not null
     * @param json    the request body, not null
     * @throws IllegalStateException    when the fixture was not made with {@link #of(AggregateType)}
     * @throws IllegalArgumentException when the registration has no command {@code command}
     */
    public CommandOutcome<E, S> when(String command, String json) {
        requireNonNull(command, "command must not be null");
        requireNonNull(json, "json must not be null");
        if (type == null) {
            throw new IllegalStateException("when(command, json) needs a fixture made with of(AggregateType)");
        }
        CommandReader<? extends C> reader = type.command(command).orElseThrow(() -> new IllegalArgumentException(
                "no command '" + command + "' in " + type + "; commands: " + type.commands().keySet()));
        S state = state();
        String described = command + " " + json;
        C read;
        try {
            read = reader.read(json);
        } catch (RuntimeException e) {
            return new CommandOutcome<>(aggregate, described, state, null, e);
        }
        return decide(described, state, read);
    }

    private CommandOutcome<E, S> decide(String described, S state, C command) {
        Decision<E> decision;
        try {
            decision = requireNonNull(aggregate.decide(command, state), "decide returned null");
        } catch (RuntimeException e) {
            return new CommandOutcome<>(aggregate, described, state, null, e);
        }
        return new CommandOutcome<>(aggregate, described, state, decision, null);
    }

    @Override
    public String toString() {
        return "AggregateFixture[" + aggregate.category() + ", given " + history + "]";
    }
}
