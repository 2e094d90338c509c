package io.cairn.bootstrap;

/**
 * A domain cannot be loaded or registered: a plugin that is not a jar or holds no domain, a domain that throws
 * while registering, two aggregates claiming one category or collection, a command name given twice. The message
 * names the domain or jar and the cause. Start-up stops with exit code 2; nothing has been served.
 */
public final class DomainLoadingException extends RuntimeException {

    public DomainLoadingException(String message) {
        super(message);
    }

    public DomainLoadingException(String message, Throwable cause) {
        super(message, cause);
    }
}
