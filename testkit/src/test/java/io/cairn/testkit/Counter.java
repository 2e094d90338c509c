package io.cairn.testkit;

import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import io.cairn.domain.InvalidInputException;

/** A tiny aggregate to test the kit with: a counter that refuses to pass 10. */
final class Counter implements Aggregate<Counter.Command, Counter.Event, Counter.Count> {

    sealed interface Command {
    }

    record Add(long amount) implements Command {
        Add {
            InvalidInputException.check(amount > 0, "amount", "amount must be > 0, was " + amount);
        }
    }

    record Touch() implements Command {
    }

    record Explode() implements Command {
    }

    sealed interface Event {
    }

    record Added(long amount) implements Event {
    }

    record Count(long value) {
    }

    static final AggregateType<Command, Event, Count> TYPE = AggregateType.builder(new Counter())
            .collection("counters")
            .command("add", CommandReader.json(Add.class))
            .command("touch", CommandReader.empty(new Touch()))
            .events(Event.class)
            .state(Count.class, 1)
            .build();

    @Override
    public String category() {
        return "counter";
    }

    @Override
    public Count initialState() {
        return new Count(0);
    }

    @Override
    public Decision<Event> decide(Command command, Count state) {
        if (command instanceof Add add) {
            if (state.value() + add.amount() > 10) {
                return Decision.reject("too_big", state.value() + " + " + add.amount() + " passes 10");
            }
            return Decision.accept(new Added(add.amount()));
        }
        if (command instanceof Touch) {
            return Decision.accept();
        }
        throw new IllegalStateException("boom");
    }

    @Override
    public Count evolve(Count state, Event event) {
        return new Count(state.value() + ((Added) event).amount());
    }
}
