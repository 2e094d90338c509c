package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * HTTPS from a PKCS#12 keystore holding the server's key and certificate chain; the port then serves HTTPS only.
 *
 * @param keystore the {@code .p12} file, not null
 * @param password the keystore's password, which also protects the key; never shown by {@link #toString()}
 */
public record TlsConfig(Path keystore, String password) {

    public TlsConfig {
        requireNonNull(keystore, "keystore must not be null");
        requireNonNull(password, "password must not be null");
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + ", password=***]";
    }
}
