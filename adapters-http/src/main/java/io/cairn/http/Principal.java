package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who sent a request, as the server established it (never as the client claims it): the name recorded in the
 * metadata of every commit the request makes ({@code principal}), and the roles it holds.
 *
 * @param name  1 or more characters, the key's name or the token's principal claim
 * @param roles what the caller may do; a role grants the lower ones too (see {@link Role})
 */
public record Principal(String name, Set<Role> roles) {

    /** The caller without authentication ({@code cairn.auth.mode = none}): may do everything. */
    public static final Principal ANONYMOUS = new Principal("anonymous", EnumSet.allOf(Role.class));

    /** @throws IllegalArgumentException for a blank name; NullPointerException for a null argument */
    public Principal {
        requireNonNull(name, "name must not be null");
        requireNonNull(roles, "roles must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        roles = Set.copyOf(roles);
    }

    /** True when one of the roles grants {@code required}. */
    public boolean may(Role required) {
        for (Role role : roles) {
            if (role.grants(required)) {
                return true;
            }
        }
        return false;
    }
}
