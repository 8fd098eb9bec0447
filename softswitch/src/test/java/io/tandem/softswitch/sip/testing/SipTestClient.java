package io.tandem.softswitch.sip.testing;

import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain-socket SIP peer on 127.0.0.1 for tests: it writes bytes and parses what comes back. */
public final class SipTestClient implements AutoCloseable {
    private final DatagramSocket udp;
    private final Socket tcp;
    private final InetSocketAddress server;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private InetSocketAddress lastSource;

    private SipTestClient(DatagramSocket udp, Socket tcp, InetSocketAddress server) {
        this.udp = udp;
        this.tcp = tcp;
        this.server = server;
    }

    public static SipTestClient udp(InetSocketAddress server) throws IOException {
        return udp(server, "127.0.0.1");
    }

    /** A UDP peer on another loopback address ({@code 127.0.0.2}, ...): a second customer or a stranger. */
    public static SipTestClient udp(InetSocketAddress server, String localAddress) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(localAddress, 0));
        s.setSoTimeout(2_000);
        return new SipTestClient(s, null, server);
    }

    /** The address this peer sends from ({@code 127.0.0.1} unless made with another). */
    public String localAddress() {
        return udp != null ? udp.getLocalAddress().getHostAddress() : tcp.getLocalAddress().getHostAddress();
    }

    /** Where the last UDP datagram {@link #receive} returned came from. */
    public InetSocketAddress lastSource() {
        return lastSource;
    }

    public static SipTestClient tcp(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.connect(server, 2_000);
        s.setSoTimeout(2_000);
        return new SipTestClient(null, s, server);
    }

    /**
     * A TLS peer (a phone or PBX registering over TLS): it trusts whatever certificate the node presents (the
     * node's self-signed one in tests) and has finished its handshake when this returns.
     */
    public static SipTestClient tls(InetSocketAddress server) throws IOException {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new TrustingAnyServer()}, null);
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket();
            s.connect(server, 2_000);
            s.setSoTimeout(2_000);
            s.startHandshake();
            return new SipTestClient(null, s, server);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("no TLS client: " + e.getMessage(), e);
        }
    }

    /** A test peer's trust: any server certificate (the tests check what is said over TLS, not who says it). */
    private static final class TrustingAnyServer implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a test client takes no clients");
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    public String transport() {
        return udp != null ? "UDP" : tcp instanceof javax.net.ssl.SSLSocket ? "TLS" : "TCP";
    }

    public void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] b) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(b, b.length, server));
        } else {
            tcp.getOutputStream().write(b);
            tcp.getOutputStream().flush();
        }
    }

    /**
     * Sends a non-INVITE request and waits for its answer the way a UAC does (RFC 3261 §17.1.2.2): over
     * UDP the request goes out again after 500 ms, 1 s, 2 s, … (Timer E from T1, capped at T2 = 4 s) until
     * something comes back, since a datagram the kernel drops from a full socket buffer is not an
     * unanswered request; over TCP it is sent once.
     */
    public SipMessage request(String message, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int interval = udp != null ? 500 : timeoutMillis;
        while (true) {
            send(message);
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            SipMessage answer = receive((int) Math.min(interval, left));
            if (answer != null) {
                return answer;
            }
            interval = Math.min(interval * 2, 4_000);
        }
    }

    /** The next message, or {@code null} when nothing comes within the timeout. */
    public SipMessage receive(int timeoutMillis) throws IOException {
        try {
            if (udp != null) {
                udp.setSoTimeout(timeoutMillis);
                byte[] buf = new byte[65535];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                lastSource = (InetSocketAddress) p.getSocketAddress();
                return parse(buf, p.getLength());
            }
            tcp.setSoTimeout(timeoutMillis);
            InputStream in = tcp.getInputStream();
            byte[] chunk = new byte[4096];
            while (true) {
                byte[] have = pending.toByteArray();
                int headerEnd = indexOf(have, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (headerEnd >= 0) {
                    String head = new String(have, 0, headerEnd, StandardCharsets.UTF_8).toLowerCase();
                    int cl = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.startsWith("content-length:") || line.startsWith("l:")) {
                            cl = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                    int total = headerEnd + 4 + cl;
                    if (have.length >= total) {
                        pending.reset();
                        pending.write(have, total, have.length - total);
                        return parse(have, total);
                    }
                }
                int n = in.read(chunk);
                if (n < 0) {
                    return null;
                }
                pending.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Whether the server closed the TCP connection (read returns end of stream). */
    public boolean closedByServer(int timeoutMillis) throws IOException {
        tcp.setSoTimeout(timeoutMillis);
        try {
            return tcp.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static SipMessage parse(byte[] b, int len) {
        SipParseResult r = SipParser.parse(b, 0, len);
        if (r instanceof SipParseResult.Parsed p) {
            return p.message();
        }
        throw new AssertionError("server sent something unparseable: " + r);
    }

    private static int indexOf(byte[] h, byte[] n) {
        outer:
        for (int i = 0; i + n.length <= h.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (h[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** An out-of-dialog OPTIONS from this client, as a load balancer sends it. */
    public String options(String branch) {
        return "OPTIONS sip:ping@" + server.getHostString() + ":" + server.getPort() + " SIP/2.0\r\n"
            + "Via: SIP/2.0/" + transport() + " 127.0.0.1:" + localPort() + ";branch=z9hG4bK" + branch + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:lb@127.0.0.1>;tag=lb" + branch + "\r\n"
            + "To: <sip:ping@127.0.0.1>\r\n"
            + "Call-ID: ka-" + branch + "@127.0.0.1\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        } else {
            tcp.close();
        }
    }
}
