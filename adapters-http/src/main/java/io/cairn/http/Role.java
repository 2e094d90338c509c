package io.cairn.http;

import java.util.Locale;

/**
 * What a caller may do. The roles are ordered, each granting the ones before it: {@link #ADMIN} implies
 * {@link #WRITE}, which implies {@link #READ}, so a key or token needs only its highest role.
 */
public enum Role {
    /** Every {@code GET}: aggregates, streams, {@code /all}, {@code /feed}, {@code /openapi.json}. */
    READ,
    /** Commands ({@code POST /{collection}/{id}/{command}}) and raw appends ({@code POST /streams/{stream}}). */
    WRITE,
    /** Whatever changes the running service (projection actions under {@code /projections/...}). */
    ADMIN;

    /** True when this role grants {@code required}: the same role or a lower one. */
    public boolean grants(Role required) {
        return compareTo(required) >= 0;
    }

    /** The role's name as written in key files and tokens: {@code read}, {@code write}, {@code admin}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code name} ({@code read}, {@code write} or {@code admin}, in any case).
     *
     * @throws IllegalArgumentException for any other name, saying which are known
     */
    public static Role of(String name) {
        for (Role role : values()) {
            if (role.wire().equalsIgnoreCase(name.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "': the roles are read, write, admin");
    }
}
