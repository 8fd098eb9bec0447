package io.tandem.softswitch.sip.transport;

import java.nio.file.Path;

/**
 * Key material of the SIP TLS transport.
 *
 * @param keyStore           the listener's key and certificate chain (also offered to vendors that ask for a client
 *                           certificate); when null a self-signed one is generated under the data directory
 * @param keyStorePassword   its password (and the key's)
 * @param keyStoreType       {@code PKCS12} (default) or {@code JKS}
 * @param trustStore         the CAs a vendor gateway's certificate must chain to (e.g. a vendor's private CA); when
 *                           null the JDK's own trust store ({@code cacerts})
 * @param trustStorePassword its password, may be null for a store without integrity check
 * @param trustStoreType     {@code PKCS12} (default) or {@code JKS}
 */
public record SipTlsConfig(Path keyStore, String keyStorePassword, String keyStoreType,
                           Path trustStore, String trustStorePassword, String trustStoreType) {

    public SipTlsConfig {
        keyStorePassword = keyStorePassword == null ? "changeit" : keyStorePassword;
        keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType;
        trustStoreType = trustStoreType == null || trustStoreType.isBlank() ? "PKCS12" : trustStoreType;
    }

    /** A generated self-signed key, the JDK's trust store. */
    public static SipTlsConfig defaults() {
        return new SipTlsConfig(null, "changeit", "PKCS12", null, null, "PKCS12");
    }

    public SipTlsConfig withKeyStore(Path store, String password) {
        return new SipTlsConfig(store, password, keyStoreType, trustStore, trustStorePassword, trustStoreType);
    }

    public SipTlsConfig withTrustStore(Path store, String password) {
        return new SipTlsConfig(keyStore, keyStorePassword, keyStoreType, store, password, trustStoreType);
    }
}
