package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which {@link Access} a request needs, by method and path: an ordered list of rules, the first that matches wins;
 * a request no rule matches needs {@link Access#READ} for {@code GET} and {@link Access#ADMIN} for any other method,
 * so a route added without a rule is never writable by a mere writer.
 *
 * <p>A rule's pattern is a path of segments: a literal ({@code streams}), a parameter that matches any one segment
 * ({@code {id}}, the same syntax as the route templates, so a route's own template is its rule), {@code *} (any one
 * segment) or, last, {@code **} (any number of further segments, none included) or Javalin's slash-crossing
 * parameter {@code <key>} (one or more further segments). Immutable and thread-safe.
 */
final class AccessPolicy {

    /** {@code rest}: more segments may follow; {@code restNeeded}: at least one must. */
    private record Rule(HandlerType method, String[] segments, boolean rest, boolean restNeeded, Access access) {
    }

    private final List<Rule> rules;

    private AccessPolicy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static Builder builder() {
        return new Builder();
    }

    /** The access {@code method path} needs; never null. */
    Access access(HandlerType method, String path) {
        String[] segments = split(path);
        for (Rule rule : rules) {
            if (rule.method().equals(method) && matches(rule, segments)) {
                return rule.access();
            }
        }
        return HandlerType.GET.equals(method) || HandlerType.HEAD.equals(method) ? Access.READ : Access.ADMIN;
    }

    private static boolean matches(Rule rule, String[] path) {
        String[] pattern = rule.segments();
        int least = pattern.length + (rule.restNeeded() ? 1 : 0);
        if (rule.rest() ? path.length < least : path.length != pattern.length) {
            return false;
        }
        if (rule.restNeeded() && path[pattern.length].isEmpty()) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            boolean wildcard = p.equals("*") || p.startsWith("{") && p.endsWith("}");
            if (!wildcard && !p.equals(path[i])) {
                return false;
            }
            if (wildcard && path[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Collects rules in order. Not thread-safe. */
    static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a rule after the ones already added.
         *
         * @param pattern e.g. {@code /streams/{stream}} or {@code /projections/**}
         * @throws IllegalArgumentException for a pattern that does not start with {@code /}, or a {@code **} that
         *                                  is not its last segment
         */
        Builder rule(HandlerType method, String pattern, Access access) {
            requireNonNull(method, "method must not be null");
            requireNonNull(pattern, "pattern must not be null");
            requireNonNull(access, "access must not be null");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a pattern starts with /, was '" + pattern + "'");
            }
            String[] segments = split(pattern);
            String last = segments.length > 0 ? segments[segments.length - 1] : "";
            boolean anyRest = last.equals("**");
            boolean someRest = last.startsWith("<") && last.endsWith(">");
            boolean rest = anyRest || someRest;
            String[] fixed = rest ? java.util.Arrays.copyOf(segments, segments.length - 1) : segments;
            for (String segment : fixed) {
                if (segment.equals("**") || segment.startsWith("<")) {
                    throw new IllegalArgumentException("** and <param> may only end a pattern, in '" + pattern + "'");
                }
            }
            rules.add(new Rule(method, fixed, rest, someRest, access));
            return this;
        }

        AccessPolicy build() {
            return new AccessPolicy(rules);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("AccessPolicy[");
        for (Rule rule : rules) {
            text.append(rule.method()).append(" /").append(String.join("/", rule.segments()))
                    .append(rule.restNeeded() ? "/<...>" : rule.rest() ? "/**" : "").append(" -> ")
                    .append(rule.access().name().toLowerCase(Locale.ROOT)).append("; ");
        }
        return text.append("]").toString();
    }
}
