package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.testing.LoopbackDnsServer;
import io.tandem.softswitch.testing.TestCertificateAuthority;
import io.tandem.softswitch.testing.TlsSipPeer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    @Test
    void aConfiguredKeyStoreIsWhatTheListenerPresentsWithItsWholeChain(@TempDir Path data) throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(data.resolve("ca"), "Carrier Test CA");
        Path keyStore = ca.issue("node", "DNS:sip.carrier.test");
        SipStackConfig config = SipStackConfig.loopback().withPorts(-1, -1, 0).withDataDir(data)
            .withTls(SipTlsConfig.defaults().withKeyStore(keyStore, TestCertificateAuthority.PASSWORD));
        try (SipStack stack = SipStack.start(config, tx -> tx.respond(200))) {
            X509Certificate served = optionsOverTls(stack.localAddress(SipTransport.TLS));
            assertThat(served.getSubjectX500Principal().getName()).contains("CN=sip.carrier.test");
            assertThat(served.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        }
        assertThat(data.resolve("tls").resolve(TlsCertificates.GENERATED_FILE)).as("nothing self-signed made").doesNotExist();
    }

    @Test
    void aKeyStoreWithTheWrongPasswordStopsTheStartNamingTheFile(@TempDir Path data) {
        TestCertificateAuthority ca = TestCertificateAuthority.create(data.resolve("ca"), "Carrier Test CA");
        Path keyStore = ca.issue("node", "DNS:sip.carrier.test");
        SipStackConfig config = SipStackConfig.loopback().withPorts(-1, -1, 0).withDataDir(data)
            .withTls(SipTlsConfig.defaults().withKeyStore(keyStore, "wrong"));
        assertThatThrownBy(() -> SipStack.start(config, tx -> tx.respond(200)))
            .hasMessageContaining("TLS key store " + keyStore);
    }

    /**
     * Towards a gateway over TLS the switch checks the chain against its trust store (a vendor's
     * private CA here, not the JDK's) and the name it was given, and sends that name in SNI; a
     * peer with the wrong name or an unknown CA fails the request at once as a transport error.
     */
    @Test
    void outboundTlsVerifiesTheChainAndTheGatewaysNameAndSendsSni(@TempDir Path data) throws Exception {
        TestCertificateAuthority vendorCa = TestCertificateAuthority.create(data.resolve("vendor-ca"), "Vendor Private CA");
        TestCertificateAuthority strangerCa = TestCertificateAuthority.create(data.resolve("stranger-ca"), "Stranger CA");
        try (LoopbackDnsServer dns = LoopbackDnsServer.start();
             TlsSipPeer vendor = TlsSipPeer.start(vendorCa.issue("gw", "DNS:gw.vendor.test"));
             TlsSipPeer impostor = TlsSipPeer.start(strangerCa.issue("impostor", "DNS:gw2.vendor.test"))) {
            dns.a("gw.vendor.test", "127.0.0.1").a("other.vendor.test", "127.0.0.1").a("gw2.vendor.test", "127.0.0.1");
            SipStackConfig config = SipStackConfig.loopback().withDataDir(data).withDnsServers(List.of(dns.address()))
                .withTls(SipTlsConfig.defaults().withTrustStore(vendorCa.trustStore(), TestCertificateAuthority.PASSWORD));
            try (SipStack stack = SipStack.start(config, tx -> tx.respond(500))) {
                assertThat(options(stack, "gw.vendor.test", vendor.port())).isEqualTo("200");
                assertThat(vendor.serverNames()).containsExactly("gw.vendor.test");
                assertThat(vendor.methods()).containsExactly("OPTIONS");

                assertThat(options(stack, "other.vendor.test", vendor.port()))
                    .as("a certificate for another name").startsWith("transport error").contains("other.vendor.test");
                assertThat(options(stack, "gw2.vendor.test", impostor.port()))
                    .as("a chain to a CA we do not trust").startsWith("transport error");
                assertThat(vendor.methods()).as("nothing sent over a connection that failed").containsExactly("OPTIONS");
                assertThat(impostor.methods()).isEmpty();
            }
        }
    }

    /** Sends an OPTIONS over TLS to {@code host:port}; "200" or "transport error: ..." */
    private static String options(SipStack stack, String host, int port) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        SipRequest options = SipRequest.builder("OPTIONS", SipUri.parse("sip:ping@" + host))
            .via(stack.newVia(SipTransport.TLS))
            .from(Address.parse("<sip:switch@127.0.0.1>").withTag(stack.newTag()))
            .to(Address.parse("<sip:ping@" + host + ">"))
            .callId("tls-" + host + "-" + System.nanoTime()).cseq(new CSeq(1, "OPTIONS")).maxForwards(70).build();
        stack.sendRequest(options, new SipDestination(SipTransport.TLS, host, port), new ClientTransactionListener() {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                if (response.status() >= 200) {
                    outcome.complete(Integer.toString(response.status()));
                }
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
                outcome.complete("timeout");
            }

            @Override
            public void onTransportError(ClientTransaction tx, Throwable cause) {
                outcome.complete("transport error: " + cause.getMessage());
            }
        });
        return outcome.get(10, TimeUnit.SECONDS);
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
