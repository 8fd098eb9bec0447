package io.tandem.console.calls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A peer node as far as the console's cluster calls go: it lists the calls it is given on
 * {@code GET /api/v1/calls}, takes hang-ups on {@code DELETE /api/v1/calls/{id}} (remembering the key
 * and on-behalf-of it was sent), reports itself on {@code GET /api/v1/cluster/node}, its traffic and what needs
 * a look ({@code GET /api/v1/cluster/attention}: one open breaker, 3 parked settlements, 7 in the spool). It can be
 * made slow, to stand for a peer that hangs.
 */
public final class FakePeer implements AutoCloseable {

    /** A request the peer received: method, path and the headers that matter here. */
    public record Received(String method, String path, String apiKey, String onBehalfOf) {
    }

    /** The gateway whose breaker this peer reports open on {@code GET /api/v1/cluster/attention} (3 parked, 7 in the spool). */
    public static final long OPEN_BREAKER_GATEWAY = 1;

    private final HttpServer server;
    private final Map<String, String> callsById = new ConcurrentHashMap<>();
    public final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;

    private FakePeer(HttpServer server) {
        this.server = server;
    }

    /** Listening on a free loopback port. */
    public static FakePeer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakePeer peer = new FakePeer(server);
            server.createContext("/", peer::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers only after {@code delay} from now on. */
    public FakePeer slow(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Adds a live call, given as the JSON object {@code GET /api/v1/calls} lists. */
    public FakePeer withCall(String id, String json) {
        callsById.put(id, json);
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(method, path, exchange.getRequestHeaders().getFirst("X-Api-Key"),
                exchange.getRequestHeaders().getFirst("X-On-Behalf-Of")));
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (method.equals("GET") && path.equals("/api/v1/calls")) {
            answer(exchange, 200, "[" + String.join(",", callsById.values()) + "]");
        } else if (method.equals("DELETE") && path.startsWith("/api/v1/calls/")) {
            boolean found = callsById.remove(path.substring("/api/v1/calls/".length())) != null;
            answer(exchange, found ? 202 : 404, found ? "" : "{\"error\":\"no such call\"}");
        } else if (method.equals("GET") && path.equals("/api/v1/cluster/node")) {
            answer(exchange, 200, """
                    {"node":"fake","local":true,"status":"up","version":"9.9.9","routingVersion":7,"configVersion":7,
                     "sipEnabled":true,"draining":false,"activeCalls":%d,"media":{"sessions":1234,"maxSessions":5000}}""".formatted(callsById.size()));
        } else if (method.equals("GET") && path.equals("/api/v1/cluster/traffic")) {
            long now = System.currentTimeMillis() / 1000;
            answer(exchange, 200, """
                    {"node":"fake","resolution":"second","points":[
                     {"at":%d,"seconds":1,"started":3,"ended":2,"answered":1,"answeredMillis":30000,"pddCalls":2,"pddMillis":400,"activeCalls":5}]}"""
                    .formatted(now - 1));
        } else if (method.equals("GET") && path.equals("/api/v1/cluster/attention")) {
            answer(exchange, 200, """
                    {"node":"fake","openBreakers":[{"gatewayId":%d,"state":"OPEN"}],"parkedSettlements":3,"spoolDepth":7}""".formatted(OPEN_BREAKER_GATEWAY));
        } else {
            answer(exchange, 404, "{\"error\":\"not here\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
