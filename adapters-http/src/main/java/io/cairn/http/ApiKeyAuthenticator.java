package io.cairn.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Optional;

/**
 * API keys from a file ({@link ApiKeys}), re-read when its content changes: a request looks at the file at most
 * once per {@link Authentication.ApiKeys#recheckEvery()}, and reads it anew when its bytes differ. A file that is
 * wrong on reload (or gone) keeps the keys already loaded, and says why in the log once per change. Thread-safe.
 */
final class ApiKeyAuthenticator implements Authenticator {

    private static final System.Logger LOG = System.getLogger(ApiKeyAuthenticator.class.getName());

    private final Authentication.ApiKeys settings;
    private final long recheckNanos;
    private volatile ApiKeys keys;
    private byte[] content;
    private long lastCheck;

    /** @throws ApiKeys.InvalidApiKeyFileException when the file cannot be read or is wrong */
    ApiKeyAuthenticator(Authentication.ApiKeys settings) {
        this.settings = settings;
        this.recheckNanos = settings.recheckEvery().toNanos();
        this.content = readFile();
        this.keys = ApiKeys.parse(settings.file(), content);
        this.lastCheck = System.nanoTime();
        LOG.log(Level.INFO, "API keys: " + keys.size() + " from " + settings.file());
    }

    @Override
    public Principal authenticate(Optional<String> credential) {
        if (credential.isEmpty()) {
            throw new ProblemException(ProblemMapper.unauthenticated());
        }
        reloadIfChanged();
        return keys.find(credential.get())
                .orElseThrow(() -> new ProblemException(ProblemMapper.invalidCredential("unknown API key")));
    }

    private synchronized void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - lastCheck < recheckNanos) {
            return;
        }
        lastCheck = now;
        byte[] current;
        try {
            current = readFile();
        } catch (ApiKeys.InvalidApiKeyFileException e) {
            if (content != null) {
                LOG.log(Level.WARNING, e.getMessage() + "; keeping the " + keys.size() + " keys loaded before");
                content = null; // logged once, until the file is back
            }
            return;
        }
        if (Arrays.equals(current, content)) {
            return;
        }
        content = current;
        try {
            ApiKeys reloaded = ApiKeys.parse(settings.file(), current);
            keys = reloaded;
            LOG.log(Level.INFO, "API keys reloaded: " + reloaded.size() + " from " + settings.file());
        } catch (ApiKeys.InvalidApiKeyFileException e) {
            LOG.log(Level.WARNING, e.getMessage() + "; keeping the " + keys.size() + " keys loaded before");
        }
    }

    private byte[] readFile() {
        try {
            return Files.readAllBytes(settings.file());
        } catch (IOException e) {
            throw new ApiKeys.InvalidApiKeyFileException(settings.file(), 0, "cannot be read: " + e);
        }
    }
}
