package io.cairn.http;

import java.util.Optional;

/** What a route asks of its caller: nothing, or authentication with a role. */
public enum Access {
    /** No authentication: {@code /health}, and {@code /metrics} when {@code cairn.http.metrics-access = open}. */
    OPEN(null),
    READ(Role.READ),
    WRITE(Role.WRITE),
    ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    /** The role the caller needs; empty for {@link #OPEN}. */
    public Optional<Role> role() {
        return Optional.ofNullable(role);
    }
}
