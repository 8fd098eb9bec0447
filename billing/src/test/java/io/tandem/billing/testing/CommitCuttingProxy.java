package io.tandem.billing.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real database that, when armed, lets the commit of the next
 * transaction that mentions a marker (a column name, say) reach the server and then breaks the
 * connection instead of delivering the server's answer: the transaction is durable, but the
 * client only sees a broken connection. This is what a client sees when a database or the
 * network goes away at the wrong instant, made repeatable. Statement texts must reach the wire:
 * with PostgreSQL's server-side prepared statements (after five uses on a connection) they do not.
 */
public final class CommitCuttingProxy implements AutoCloseable {

    private static final byte[] COMMIT = "commit".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile byte[] marker = new byte[0];

    public CommitCuttingProxy(String jdbcUrl) throws IOException {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("commit-cutting-proxy").start(this::accept);
    }

    /**
     * The database's JDBC URL, pointed at this proxy. PostgreSQL's driver is told not to name its
     * statements ({@code prepareThreshold=0}): a named {@code COMMIT} would cross the wire as a
     * reference to its name, not as its text.
     */
    public static String via(String jdbcUrl, CommitCuttingProxy proxy) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String url = jdbcUrl.replaceFirst(uri.getHost() + ":" + uri.getPort(), "127.0.0.1:" + proxy.listener.getLocalPort());
        if (url.startsWith("jdbc:postgresql:")) {
            url += (url.contains("?") ? "&" : "?") + "prepareThreshold=0";
        }
        return url;
    }

    /** The next commit of a transaction whose statements contain {@code text} lands, but its answer is lost. */
    public void cutNextCommitAfter(String text) {
        marker = text.toLowerCase().getBytes(StandardCharsets.US_ASCII);
        armed.set(true);
    }

    /** How many commits were cut so far. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                AtomicBoolean cutting = new AtomicBoolean();
                Thread.ofPlatform().daemon().start(() -> toServer(client, server, cutting));
                Thread.ofPlatform().daemon().start(() -> toClient(client, server, cutting));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    throw new IllegalStateException("proxy accept failed", e);
                }
            }
        }
    }

    private void toServer(Socket client, Socket server, AtomicBoolean cutting) {
        byte[] buffer = new byte[65536];
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            int n;
            boolean markerSeen = false;
            while ((n = in.read(buffer)) > 0) {
                markerSeen |= indexOf(buffer, n, marker) >= 0;
                if (isCommit(buffer, n)) {
                    if (markerSeen && armed.compareAndSet(true, false)) {
                        cutting.set(true);
                    }
                    markerSeen = false;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            closeBoth(client, server);   // one side went away: so does the other, as on a real network
        }
        closeBoth(client, server);
    }

    private void toClient(Socket client, Socket server, AtomicBoolean cutting) {
        byte[] buffer = new byte[65536];
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (cutting.get()) {
                    // The server answered the commit, so it is durable: drop the answer, break the line.
                    cuts.incrementAndGet();
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            closeBoth(client, server);
        }
        closeBoth(client, server);
    }

    /** "commit" as a statement of its own (not "autocommit"), in any case. */
    private static boolean isCommit(byte[] data, int length) {
        for (int from = 0; from < length; ) {
            int at = indexOf(data, length, COMMIT, from);
            if (at < 0) {
                return false;
            }
            if (at == 0 || !Character.isLetter((char) data[at - 1])) {
                return true;
            }
            from = at + 1;
        }
        return false;
    }

    private static int indexOf(byte[] data, int length, byte[] lowerCaseText) {
        return indexOf(data, length, lowerCaseText, 0);
    }

    private static int indexOf(byte[] data, int length, byte[] lowerCaseText, int from) {
        if (lowerCaseText.length == 0) {
            return -1;
        }
        outer:
        for (int i = from; i + lowerCaseText.length <= length; i++) {
            for (int j = 0; j < lowerCaseText.length; j++) {
                if (Character.toLowerCase((char) data[i + j]) != lowerCaseText[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeBoth(Socket client, Socket server) {
        try {
            client.close();
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
