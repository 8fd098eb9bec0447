package io.tandem.console.media;

import io.tandem.console.cluster.ClusterPeers;
import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.media.remote.MediaNodeControl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control protocol over the media nodes' API ({@link MediaControlController}) with the peers'
 * API keys: asynchronous, at most {@link #TIMEOUT} a call, never on a SIP loop's time.
 */
public final class HttpMediaNodeControl implements MediaNodeControl {

    /** A control call slower than this counts as a lost node. */
    public static final Duration TIMEOUT = Duration.ofMillis(700);

    private final ClusterPeers peers;
    private final Function<String, Optional<TandemProperties.Peer>> peerNamed;
    private final String holder;
    private final JsonMapper json;

    public HttpMediaNodeControl(ClusterPeers peers, Function<String, Optional<TandemProperties.Peer>> peerNamed, String holder,
                                JsonMapper json) {
        this.peers = peers;
        this.peerNamed = peerNamed;
        this.holder = holder;
        this.json = json;
    }

    @Override
    public CompletableFuture<PortGrant> lease(String node, int pairs) {
        return call(node, "POST", "/leases", Map.of("holder", holder, "pairs", pairs), PortGrant.class);
    }

    @Override
    public CompletableFuture<NodeLoad> update(String node, SessionUpdate update) {
        return call(node, "PUT", "/sessions/" + update.call(), new MediaControlController.SessionRequest(holder, update.revision(),
                update.streams(), update.answered(), update.silenceLimitMillis()), NodeLoad.class);
    }

    @Override
    public CompletableFuture<Released> release(String node, UUID call) {
        return call(node, "DELETE", "/sessions/" + call + "?holder=" + URLEncoder.encode(holder, StandardCharsets.UTF_8), null,
                Released.class);
    }

    @Override
    public CompletableFuture<NodeStatus> status(String node, List<Integer> unused) {
        return call(node, "POST", "/status", new MediaControlController.StatusRequest(holder, unused), NodeStatus.class);
    }

    private <T> CompletableFuture<T> call(String node, String method, String path, Object body, Class<T> answer) {
        Optional<TandemProperties.Peer> peer = peerNamed.apply(node);
        if (peer.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("media node " + node + " is not in tandem.cluster.peers"));
        }
        return peers.call(peer.get(), method, "/api/v1/cluster/media" + path, body == null ? null : json.writeValueAsString(body), null,
                TIMEOUT).thenApply(reply -> {
                    if (reply.status() == 409) {
                        throw new RefusedException(new String(reply.body(), StandardCharsets.UTF_8));
                    }
                    if (!reply.ok()) {
                        throw new IllegalStateException("media node " + node + " answered HTTP " + reply.status() + ": "
                                + new String(reply.body(), StandardCharsets.UTF_8));
                    }
                    return json.readValue(reply.body(), answer);
                });
    }
}
