package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SipTlsTest {

    @Test
    void selfSignedCertificateIsGeneratedOnceAndTlsAnswersOptions(@TempDir Path data) throws Exception {
        SipStackConfig config = SipStackConfig.loopback().withPorts(-1, -1, 0).withDataDir(data);
        byte[] firstCert;
        X509Certificate served;
        try (SipStack stack = SipStack.start(config, tx -> tx.respond(200))) {
            Path store = data.resolve("tls").resolve(TlsCertificates.GENERATED_FILE);
            assertThat(store).exists();
            firstCert = Files.readAllBytes(store);
            served = optionsOverTls(stack.localAddress(SipTransport.TLS));
        }
        assertThat(served.getSubjectX500Principal().getName()).contains("CN=127.0.0.1");
        try (SipStack again = SipStack.start(config, tx -> tx.respond(200))) {
            assertThat(Files.readAllBytes(data.resolve("tls").resolve(TlsCertificates.GENERATED_FILE)))
                .as("the key is kept across restarts").isEqualTo(firstCert);
            assertThat(optionsOverTls(again.localAddress(SipTransport.TLS))).isEqualTo(served);
        }
    }

    /** Sends an OPTIONS over TLS and returns the certificate the server presented. */
    private static X509Certificate optionsOverTls(InetSocketAddress server) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        TrustManager trustSelfSigned = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trustSelfSigned}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(5_000);
            String options = "OPTIONS sip:ping@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bKtls1\r\n"
                + "From: <sip:lb@127.0.0.1>;tag=a\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: tls@x\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            s.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!got.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                got.write(in.read());
            }
            byte[] b = got.toByteArray();
            SipResponse r = (SipResponse) ((SipParseResult.Parsed) SipParser.parse(b, 0, b.length)).message();
            assertThat(r.status()).isEqualTo(200);
        }
        return seen[0];
    }
}
