package io.tandem.softswitch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made at test time with Debian's {@code openssl}: a CA key and certificate,
 * and server certificates it signs for given subjectAltNames, each in a PKCS#12 key store with the
 * whole chain. A real chain, as a vendor's private CA would issue it, never a certificate copied
 * into the repository (and never expired).
 */
public final class TestCertificateAuthority {
    public static final String PASSWORD = "changeit";

    private static final java.util.concurrent.atomic.AtomicInteger ISSUED = new java.util.concurrent.atomic.AtomicInteger();

    private final Path dir;
    private final X509Certificate certificate;

    private TestCertificateAuthority(Path dir, X509Certificate certificate) {
        this.dir = dir;
        this.certificate = certificate;
    }

    /** A new CA named {@code commonName} whose files live in {@code dir}. */
    public static TestCertificateAuthority create(Path dir, String commonName) {
        try {
            Files.createDirectories(dir);
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/O=Tandem tests/CN=" + commonName,
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            return new TestCertificateAuthority(dir, read(dir.resolve("ca.crt")));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a test CA in " + dir, e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A PKCS#12 key store (password {@link #PASSWORD}) with a new EC key and its certificate signed by
     * this CA for the names given ({@code DNS:gw.example}, {@code IP:127.0.0.1}), followed by the CA's.
     */
    public Path issue(String file, String... subjectAltNames) {
        try {
            String base = file.replaceAll("[^A-Za-z0-9-]", "_") + "-" + ISSUED.incrementAndGet();
            Files.writeString(dir.resolve(base + ".ext"), "subjectAltName=" + String.join(",", subjectAltNames)
                    + "\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=critical,CA:FALSE\n");
            String cn = subjectAltNames[0].substring(subjectAltNames[0].indexOf(':') + 1);
            openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/O=Tandem tests/CN=" + cn);
            openssl(dir, "x509", "-req", "-in", base + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-out", base + ".crt", "-extfile", base + ".ext");
            openssl(dir, "pkcs12", "-export", "-inkey", base + ".key", "-in", base + ".crt", "-certfile", "ca.crt",
                    "-name", "sip", "-out", base + ".p12", "-passout", "pass:" + PASSWORD);
            return dir.resolve(base + ".p12");
        } catch (IOException e) {
            throw new IllegalStateException("cannot issue " + file, e);
        }
    }

    /** A PKCS#12 trust store (password {@link #PASSWORD}) holding only this CA's certificate. */
    public Path trustStore() {
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", certificate);
            ks.store(out, PASSWORD.toCharArray());
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    private static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + cmd, e);
        }
    }
}
