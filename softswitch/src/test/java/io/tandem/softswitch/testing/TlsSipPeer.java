package io.tandem.softswitch.testing;

import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A vendor gateway that speaks SIP over TLS on 127.0.0.1 (Debian's sipp has no TLS): it presents the
 * certificate of a given key store, records the SNI each connection asked for and the requests it
 * got, answers an INVITE with 100 and 200 (SDP, a Contact with {@code transport=tls}), a BYE and
 * anything else but ACK with 200. One platform thread per connection; a failed handshake is counted.
 */
public final class TlsSipPeer implements AutoCloseable {
    private final SSLServerSocket server;
    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final AtomicInteger failedHandshakes = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TlsSipPeer(SSLServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("tls-sip-peer-" + server.getLocalPort()).start(this::accept);
    }

    /** Listens on a free port of 127.0.0.1 with the key and chain of {@code keyStore} (PKCS#12, {@link TestCertificateAuthority#PASSWORD}). */
    public static TlsSipPeer start(Path keyStore) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, TestCertificateAuthority.PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, TestCertificateAuthority.PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress());
            return new TlsSipPeer(s);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot start a TLS SIP peer with " + keyStore, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The SNI host names of the handshakes that completed, in order ("" for one without SNI). */
    public List<String> serverNames() {
        return List.copyOf(serverNames);
    }

    /** The methods of the requests received, in order. */
    public List<String> methods() {
        return List.copyOf(methods);
    }

    /** Connections whose handshake failed (the client refused our certificate). */
    public int failedHandshakes() {
        return failedHandshakes.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                open.add(s);
                Thread.ofPlatform().daemon().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket s) {
        try (s) {
            try {
                s.startHandshake();
            } catch (IOException e) {
                failedHandshakes.incrementAndGet();
                return;
            }
            List<SNIServerName> names = ((ExtendedSSLSession) s.getSession()).getRequestedServerNames();
            serverNames.add(names.isEmpty() ? "" : ((SNIHostName) names.get(0)).getAsciiName());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            SipMessage m;
            while ((m = read(in)) != null) {
                if (m instanceof SipRequest r) {
                    methods.add(r.method());
                    answer(r, out);
                }
            }
        } catch (IOException e) {
            // the switch closed the connection: the peer's work is done
        }
    }

    private void answer(SipRequest r, OutputStream out) throws IOException {
        switch (r.method()) {
            case "ACK" -> {
            }
            case "INVITE" -> {
                out.write(r.createResponse(100).build().toBytes());
                SipResponse ok = r.createResponse(200).toTag("tls-peer")
                        .contact(Address.of(SipUri.parse("sip:vendor@127.0.0.1:" + port() + ";transport=tls")))
                        .body("application/sdp", ("v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                + "m=audio 5000 RTP/AVP 0\r\n").getBytes(StandardCharsets.US_ASCII))
                        .build();
                out.write(ok.toBytes());
            }
            default -> out.write(r.createResponse(200).build().toBytes());
        }
        out.flush();
    }

    /** One message framed by Content-Length (RFC 3261 §18.3), null at the end of the stream. */
    private static SipMessage read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.US_ASCII);
            if (h.equals("\r\n")) {
                head.reset();
                continue;
            }
            if (h.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : h.split("\r\n")) {
                    String lower = line.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                head.write(in.readNBytes(length));
                byte[] all = head.toByteArray();
                return ((SipParseResult.Parsed) SipParser.parse(all, 0, all.length)).message();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException("closing the TLS SIP peer", e);
        }
        acceptor.interrupt();
    }
}
