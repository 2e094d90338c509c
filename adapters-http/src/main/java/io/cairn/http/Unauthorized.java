package io.cairn.http;

/** The 401 and 403 answers, as RFC 9457 problems with RFC 6750's {@code WWW-Authenticate} challenge. */
final class Unauthorized {

    static final String CHALLENGE = "WWW-Authenticate";
    private static final String REALM = "Bearer realm=\"cairn\"";

    private Unauthorized() {
    }

    /** No credential at all: 401 with a bare challenge. */
    static ProblemException missing() {
        return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                        "this route needs authentication: send Authorization: Bearer <key or token>")
                .withHeader(CHALLENGE, REALM));
    }

    /** A credential that is not accepted: 401 naming why, as {@code error="invalid_token"}. */
    static ProblemException invalid(String why) {
        String quoted = why.replace('"', '\'').replace('\\', '/');
        return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                        "the bearer credential is not accepted: " + why)
                .withHeader(CHALLENGE, REALM + ", error=\"invalid_token\", error_description=\"" + quoted + "\""));
    }

    /** An authenticated caller without the role: 403. */
    static ProblemException forbidden(Principal principal, Role required) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden",
                        "'" + principal.name() + "' does not hold the role " + required.wire()
                                + " (or a higher one) that this route needs")
                .with("principal", principal.name())
                .with("requiredRole", required.wire()));
    }
}
