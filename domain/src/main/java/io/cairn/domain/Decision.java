package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What an aggregate decided about a command: the events to append, or a rejection that appends nothing. */
public sealed interface Decision<E> permits Decision.Accepted, Decision.Rejected {

    static <E> Decision<E> accept(List<E> events) {
        return new Accepted<>(events);
    }

    @SafeVarargs
    static <E> Decision<E> accept(E... events) {
        return new Accepted<>(List.of(events));
    }

    static <E> Decision<E> reject(String reason, String detail) {
        return new Rejected<>(new Rejection(reason, detail));
    }

    /** The command is accepted; an empty list means it changes nothing. */
    record Accepted<E>(List<E> events) implements Decision<E> {
        public Accepted {
            events = List.copyOf(requireNonNull(events, "events must not be null"));
        }
    }

    record Rejected<E>(Rejection rejection) implements Decision<E> {
        public Rejected {
            requireNonNull(rejection, "rejection must not be null");
        }
    }
}
