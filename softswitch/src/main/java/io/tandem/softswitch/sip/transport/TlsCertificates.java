package io.tandem.softswitch.sip.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS key material of the SIP transport: the listener's key and certificate (a configured key
 * store, or a self-signed one generated on first start under the data directory and reused
 * afterwards, made with the JDK's own {@code keytool}), and the CAs vendor gateways' certificates
 * must chain to (a configured trust store, else the JDK's).
 */
public final class TlsCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);
    static final String GENERATED_FILE = "sip-tls.p12";

    private TlsCertificates() {
    }

    /**
     * Key managers from the configured key store, or from a self-signed store under {@code dataDir} when none is
     * configured. A store that cannot be read, has the wrong password or holds no private key stops the start with
     * a message naming the file.
     */
    public static KeyManagerFactory keyManagers(SipTlsConfig tls, Path dataDir, String hostName)
        throws IOException, GeneralSecurityException {
        Path file = tls.keyStore();
        String type = tls.keyStoreType();
        if (file == null) {
            file = dataDir.resolve("tls").resolve(GENERATED_FILE);
            type = "PKCS12";
            if (!Files.exists(file)) {
                generate(file, tls.keyStorePassword(), hostName);
            }
        }
        char[] password = tls.keyStorePassword().toCharArray();
        KeyStore ks = load(file, type, password, "key store");
        if (!holdsPrivateKey(ks)) {
            throw new GeneralSecurityException("TLS key store " + file + " holds no private key entry");
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return kmf;
    }

    /**
     * Trust managers for vendor gateways' certificates: the configured trust store (say, a vendor's private CA),
     * or the JDK's {@code cacerts} when none is configured.
     */
    public static TrustManagerFactory trustManagers(SipTlsConfig tls) throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (tls.trustStore() == null) {
            tmf.init((KeyStore) null);
            return tmf;
        }
        char[] password = tls.trustStorePassword() == null ? null : tls.trustStorePassword().toCharArray();
        KeyStore ks = load(tls.trustStore(), tls.trustStoreType(), password, "trust store");
        if (ks.size() == 0) {
            throw new GeneralSecurityException("TLS trust store " + tls.trustStore() + " holds no certificate");
        }
        tmf.init(ks);
        return tmf;
    }

    private static KeyStore load(Path file, String type, char[] password, String what)
        throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (IOException e) {
            // KeyStore reports a wrong password as an IOException whose cause is UnrecoverableKeyException
            throw new IOException("TLS " + what + " " + file + " (" + type + ") cannot be read: " + e.getMessage(), e);
        }
        return ks;
    }

    private static boolean holdsPrivateKey(KeyStore ks) throws KeyStoreException {
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static void generate(Path file, String password, String hostName) throws IOException {
        Files.createDirectories(file.getParent());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String san = hostName.matches("[0-9.]+") || hostName.contains(":") ? "ip:" + hostName : "dns:" + hostName;
        List<String> cmd = List.of(keytool.toString(), "-genkeypair", "-alias", "sip", "-keyalg", "EC",
            "-groupname", "secp256r1", "-validity", "3650", "-dname", "CN=" + hostName + ",O=Tandem",
            "-ext", "SAN=" + san, "-storetype", "PKCS12", "-keystore", file.toString(),
            "-storepass", password, "-keypass", password);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String out = new String(p.getInputStream().readAllBytes());
                throw new IOException("keytool could not create " + file + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while creating " + file, e);
        }
        LOG.info("Generated a self-signed TLS certificate for {} in {}", hostName, file);
    }
}
