package io.tandem.softswitch.sip.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS key and certificate of the SIP listener: a configured PKCS#12 file, or a self-signed
 * one generated on first start under the data directory and reused afterwards. Generation uses
 * the JDK's own {@code keytool}, so no extra cryptography library is needed.
 */
public final class TlsCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);
    static final String GENERATED_FILE = "sip-tls.p12";

    private TlsCertificates() {
    }

    /** Key managers from {@code keyStore}, or from a self-signed store under {@code dataDir} when it is null. */
    public static KeyManagerFactory keyManagers(Path keyStore, Path dataDir, String password, String hostName)
        throws IOException, GeneralSecurityException {
        Path file = keyStore;
        if (file == null) {
            file = dataDir.resolve("tls").resolve(GENERATED_FILE);
            if (!Files.exists(file)) {
                generate(file, password, hostName);
            }
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        return kmf;
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
