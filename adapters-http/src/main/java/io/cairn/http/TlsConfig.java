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

    /**
     * Opens the keystore with the password and looks for a key in it: what the server will do when it starts.
     *
     * @throws IllegalArgumentException naming the file, when it cannot be read, is not PKCS#12, the password is
     *                                  wrong, or it holds no private key
     */
    public void check() {
        java.security.KeyStore store;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the keystore " + keystore + " cannot be opened (a PKCS#12 file and "
                    + "its password are needed): " + e.getMessage(), e);
        }
        try {
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return;
                }
            }
        } catch (java.security.KeyStoreException e) {
            throw new IllegalArgumentException("the keystore " + keystore + " cannot be read: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("the keystore " + keystore + " holds no private key and certificate");
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + ", password=***]";
    }
}
