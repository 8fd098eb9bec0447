package io.tandem.console.media;

import io.tandem.console.calls.SipNodeConfiguration;
import io.tandem.console.cluster.ClusterPeers;
import io.tandem.console.cluster.persistence.ClusterNodeRepository;
import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.media.relay.ControlledSessions;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.media.relay.MediaRelay;
import io.tandem.softswitch.media.relay.MediaStats;
import io.tandem.softswitch.media.relay.RelayedCall;
import io.tandem.softswitch.media.remote.RemoteRelayedCall;
import io.tandem.softswitch.media.remote.MediaNodes;
import io.tandem.softswitch.media.remote.RemoteMediaAnchors;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Media nodes (docs/media.md): on a node with the media role ({@code both} with SIP on, or {@code media})
 * the sessions signalling nodes drive over {@link MediaControlController}; on a {@code sip} node the
 * remote media nodes, the choice among them and the anchors that use them.
 */
@Configuration(proxyBeanMethods = false)
public class MediaNodeConfiguration {

    static final String CALL_ENDED_REASON = "media node lost";
    private static final Logger log = LoggerFactory.getLogger(MediaNodeConfiguration.class);

    /** A media-only node's relay; on a node with SIP, {@link SipNodeConfiguration} makes it. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${tandem.roles:both}'.trim().equalsIgnoreCase('media')")
    MediaRelay mediaOnlyRelay(TandemProperties properties, io.micrometer.core.instrument.MeterRegistry registry) {
        MediaRelay relay = SipNodeConfiguration.newMediaRelay(properties);
        RelayMeters.register(registry, relay);
        return relay;
    }

    @Bean
    @ConditionalOnExpression("'${tandem.roles:both}'.trim().equalsIgnoreCase('media') or ('${tandem.roles:both}'.trim().equalsIgnoreCase('both') and '${tandem.sip.enabled:true}' == 'true')")
    ControlledSessions controlledSessions(MediaRelay relay, MediaNodeProperties media, Clock clock) {
        return new ControlledSessions(relay, media.maxSessions(), media.holderTtl(), clock);
    }

    /** Releases the sessions and leases of signalling nodes gone silent. */
    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnExpression("'${tandem.roles:both}'.trim().equalsIgnoreCase('media') or ('${tandem.roles:both}'.trim().equalsIgnoreCase('both') and '${tandem.sip.enabled:true}' == 'true')")
    ScheduledExecutorService mediaSessionExpiry(ControlledSessions sessions) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("media-expiry").daemon().factory());
        timer.scheduleWithFixedDelay(() -> run("media session expiry", sessions::expire), 5, 5, TimeUnit.SECONDS);
        return timer;
    }

    @Bean
    @ConditionalOnExpression("'${tandem.roles:both}'.trim().equalsIgnoreCase('sip')")
    MediaNodes mediaNodes(MediaNodeProperties media, TandemProperties properties, ClusterPeers peers, JsonMapper json, Clock clock) {
        List<String> names = media.nodes();
        if (names.isEmpty()) {
            throw new IllegalStateException("tandem.roles=sip needs tandem.media.nodes: the names of the peers (tandem.cluster.peers) "
                    + "that are media nodes");
        }
        for (String name : names) {
            if (peers.peer(name).isEmpty()) {
                throw new IllegalStateException("tandem.media.nodes names '" + name + "', which is not in tandem.cluster.peers");
            }
        }
        MediaNodes.Settings defaults = MediaNodes.Settings.defaults();
        return new MediaNodes(names, new HttpMediaNodeControl(peers, peers::peer, properties.effectiveNodeId(), json), clock,
                new MediaNodes.Settings(media.deadAfter(), media.maxSessions(), defaults.leaseBatch(), defaults.lowStock()));
    }

    /** Heartbeats from the cluster table and each media node's load, every 2 s, on a thread of its own (never a SIP loop). */
    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnExpression("'${tandem.roles:both}'.trim().equalsIgnoreCase('sip')")
    ScheduledExecutorService mediaNodeWatch(MediaNodes nodes, ClusterNodeRepository heartbeats) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("media-nodes").daemon().factory());
        timer.scheduleWithFixedDelay(() -> run("media node watch", () -> {
            nodes.heartbeats(heartbeats.lastHeartbeats());
            nodes.tick();
        }), 0, 2, TimeUnit.SECONDS);
        return timer;
    }

    /**
     * Calls anchored on remote media nodes; an answered call whose node is lost ends with {@code media node lost}, one
     * the node reports silent for {@code tandem.media.timeout} (hold: {@code hold-timeout}) as a local one would
     * ({@code media timeout}), and the node's figures of each call go to the node's media metrics.
     */
    @Bean
    @ConditionalOnExpression("'${tandem.roles:both}'.trim().equalsIgnoreCase('sip')")
    RemoteMediaAnchors remoteMediaAnchors(MediaNodes nodes, TandemProperties properties, ClusterPeers peers, JsonMapper json,
                                          ObjectProvider<CallEngine> engine, RelayedCall.Listener mediaEvents) {
        RemoteRelayedCall.Listener listener = new RemoteRelayedCall.Listener() {
            @Override
            public void mediaNodeLost(CallFacts call, String node) {
                engine.getObject().hangUp(call.id(), CALL_ENDED_REASON);
            }

            @Override
            public void mediaTimedOut(CallFacts call) {
                mediaEvents.mediaTimedOut(call);
            }

            @Override
            public void mediaEnded(CallFacts call, MediaStats stats) {
                mediaEvents.mediaEnded(call, stats);
            }
        };
        TandemProperties.Media media = properties.media();
        return new RemoteMediaAnchors(nodes, new HttpMediaNodeControl(peers, peers::peer, properties.effectiveNodeId(), json),
                listener, media.timeout(), media.holdTimeout());
    }

    private static void run(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // a database hiccup must not end the schedule: logged, tried again at the next round
            log.warn("{} failed: {}", what, e.toString());
        }
    }
}
