package io.tandem.console.calls;

import io.tandem.billing.authorization.BalanceAuthorizer;
import io.tandem.console.node.TandemProperties;
import io.tandem.routing.provisioning.persistence.TrunkAccessRepository;
import io.tandem.routing.reload.RouteTableHolder;
import io.tandem.softswitch.call.CallClock;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.CallRouting;
import io.tandem.softswitch.media.relay.MediaRelay;
import io.tandem.softswitch.media.relay.MediaRelayConfig;
import io.tandem.softswitch.media.relay.TrunkMediaAnchors;
import org.springframework.beans.factory.ObjectProvider;
import io.tandem.softswitch.call.CallEngineSettings;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.DigestGuessLimits;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.sip.protection.OverloadConfig;
import io.tandem.softswitch.sip.protection.ProtectionConfig;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.console.registrations.RegistrarAssembly;
import io.tandem.softswitch.registrar.Registrar;
import io.tandem.softswitch.registrar.RegistrarDispatch;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.transport.SipTlsConfig;
import io.tandem.softswitch.sip.transport.WireTap;
import io.tandem.softswitch.capture.SipCapture;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The SIP side of a node: the stack's listeners, the call engine and what it needs. Off with
 * {@code tandem.sip.enabled=false} (a console/API-only node).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tandem.sip.enabled", havingValue = "true", matchIfMissing = true)
public class SipNodeConfiguration {

    @Bean
    TrunkIdentificationHolder trunkIdentificationHolder(TrunkAccessRepository repository, RouteTableHolder routes,
                                                        TandemProperties properties) {
        return new TrunkIdentificationHolder(repository, routes, new CustomerSource(properties.sip().trustedProxies()));
    }

    @Bean
    QualityStats qualityStats() {
        return new QualityStats();
    }

    @Bean
    VendorBreakers vendorBreakers(TandemProperties properties) {
        TandemProperties.Breaker b = properties.breaker();
        return new VendorBreakers(new VendorBreakers.Settings(b.windowSize(), b.minimumCalls(), b.failureRatePercent(), b.openFor(),
                b.halfOpenCalls()));
    }

    /**
     * Cluster-wide CPS and call limits, each node enforcing its share: the limit divided by the nodes
     * whose heartbeat is live (refreshed every 5 s by billing's housekeeping; see docs/configuration.md).
     */
    @Bean
    AdmissionControl admissionControl(BalanceAuthorizer billing) {
        return new AdmissionControl(billing::liveNodes);
    }

    /**
     * Where the call engine's database work runs: bounded threads and a bounded queue, so an
     * overloaded database turns into 503s rather than unbounded memory.
     */
    @Bean(destroyMethod = "shutdown")
    ThreadPoolExecutor callBillingExecutor() {
        return new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(20_000),
                Thread.ofPlatform().name("call-billing-", 0).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** The RTP relay (docs/media.md): its event loops start now, its ports are bound per call. */
    @Bean(destroyMethod = "close")
    MediaRelay mediaRelay(TandemProperties properties) {
        return newMediaRelay(properties);
    }

    /** The relay as {@code tandem.media.*} configures it; also a media-only node's (io.tandem.console.media). */
    public static MediaRelay newMediaRelay(TandemProperties properties) {
        TandemProperties.Media media = properties.media();
        TandemProperties.Sip sip = properties.sip();
        String bind = media.address() == null || media.address().isBlank() ? sip.address() : media.address();
        String published = media.publicAddress() != null && !media.publicAddress().isBlank() ? media.publicAddress()
                : sip.externalAddress() != null && !sip.externalAddress().isBlank() ? sip.externalAddress()
                : bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
        if (bind.equals("0.0.0.0") && published.equals("127.0.0.1")) {
            org.slf4j.LoggerFactory.getLogger(SipNodeConfiguration.class).warn(
                    "tandem.media.public-address is not set and the relay binds 0.0.0.0: SDP will say 127.0.0.1, reachable from this host only");
        }
        String[] range = media.portRange().split("-");
        if (range.length != 2) {
            throw new IllegalArgumentException("tandem.media.port-range must be low-high, not " + media.portRange());
        }
        return new MediaRelay(new MediaRelayConfig(bind, published, Integer.parseInt(range[0].strip()),
                Integer.parseInt(range[1].strip()), media.threads(), media.timeout(), media.holdTimeout(), java.time.Duration.ofSeconds(2)));
    }

    @Bean
    MediaEvents mediaEvents(ObjectProvider<CallEngine> engine, io.micrometer.core.instrument.MeterRegistry registry, MediaRelay relay) {
        return new MediaEvents(engine, registry, relay);
    }

    /** One nonce issuer and count table for INVITE (407) and REGISTER (401) challenges. */
    @Bean
    DigestAuthenticator digestAuthenticator(TandemProperties properties, Clock clock) {
        TandemProperties.Digest digest = properties.sip().digest();
        return new DigestAuthenticator(properties.sip().realm(), digest.nonceLifetime(), clock, digest.maxTrackedNonces());
    }

    /** REGISTER and cluster MESSAGEs to the registrar, the rest to the call engine; relays registered sources to the engine. */
    @Bean
    RegistrarDispatch registrarDispatch(CallEngine engine) {
        return new RegistrarDispatch(engine);
    }

    /** Calls to registered contacts (docs/registrations.md): connected to the registrar once it exists. */
    @Bean
    io.tandem.softswitch.call.RegisteredTargets.Link registeredTargets() {
        return new io.tandem.softswitch.call.RegisteredTargets.Link();
    }

    @Bean
    CallEngine callEngine(TandemProperties properties, RouteTableHolder routes, TrunkIdentificationHolder trunks,
                          io.tandem.softswitch.call.RegisteredTargets.Link registeredTargets,
                          QualityStats quality, VendorBreakers breakers, AdmissionControl admission,
                          BalanceAuthorizer billing, ThreadPoolExecutor callBillingExecutor, Clock clock,
                          TrafficRecorder traffic, MediaRelay mediaRelay, MediaEvents mediaEvents, SipCapture capture,
                          io.micrometer.core.instrument.MeterRegistry registry, DigestAuthenticator digestAuthenticator,
                          ObjectProvider<io.tandem.softswitch.media.remote.RemoteMediaAnchors> remoteMedia) {
        TandemProperties.Sip sip = properties.sip();
        TandemProperties.Digest digest = sip.digest();
        // tandem.roles=sip: anchored on the remote media nodes (docs/media.md, "Media nodes")
        io.tandem.softswitch.call.MediaAnchor.Factory remote = remoteMedia.getIfAvailable();
        io.tandem.softswitch.call.MediaAnchor.Factory media = remote != null ? remote : new TrunkMediaAnchors(mediaRelay, mediaEvents);
        CallEngine engine = new CallEngine(CallEngineSettings.defaults(properties.effectiveNodeId())
                        .withSessionTimers(sip.sessionMinSe(), sip.sessionExpires())
                        .withTrustedProxies(sip.trustedProxies())
                        .withDigestGuessLimits(new DigestGuessLimits(digest.slowAfter(), digest.banAfter(), digest.failureWindow(),
                                digest.firstPause())),
                CallRouting.of(routes::current, quality, registeredTargets), trunks,
                digestAuthenticator,
                admission, breakers, quality, new MeteredCallAuthorizer(billing, registry), callBillingExecutor,
                CallClock.system(clock), event -> {
                    traffic.on(event);
                    capture.on(event);
                },
                media);
        engine.reachRegisteredContacts(registeredTargets);
        return engine;
    }

    /** On shutdown: refuse new calls and end the current ones with BYE on both legs, before SIP closes. */
    @Bean
    org.springframework.beans.factory.DisposableBean callShutdown(CallEngine engine, SipStack stack) {
        return () -> {
            engine.setDraining(true);
            if (engine.activeCallCount() > 0) {
                engine.hangUpAll("node shutting down");
                try {
                    engine.whenEmpty().get(2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    org.slf4j.LoggerFactory.getLogger(SipNodeConfiguration.class)
                            .warn("{} calls still up 2 s after the shutdown hang-up; stopping anyway", engine.activeCallCount());
                }
            }
        };
    }

    private static OverloadConfig overload(TandemProperties.Overload overload) {
        return OverloadConfig.defaults().withEnabled(overload.enabled())
                .withLimits(overload.maxLoopLag(), overload.maxLoopTasks())
                .withRetryAfter(overload.retryAfter())
                .withTargetLoopUtilization(overload.targetLoopUtilization());
    }

    private static SipTlsConfig tls(TandemProperties.Tls tls) {
        return new SipTlsConfig(tls.keyStore(), tls.keyStorePassword(), tls.keyStoreType(), tls.trustStore(),
                tls.trustStorePassword(), tls.trustStoreType());
    }

    private static ProtectionConfig protection(TandemProperties.Sip sip) {
        return ProtectionConfig.defaults().withAllowList(sip.floodAllowList())
                .withRate(sip.floodRate(), sip.floodBurst(), sip.floodBan())
                .withDropScanners(sip.dropScanners());
    }

    /** The registrar and its cluster sync (docs/registrations.md); attached to the dispatch once the stack runs. */
    @Bean
    Registrar registrar(TandemProperties properties, SipStack stack, RegistrarDispatch dispatch, CallEngine engine,
                        TrunkIdentificationHolder trunks, DigestAuthenticator digestAuthenticator, Clock clock,
                        io.tandem.softswitch.call.RegisteredTargets.Link registeredTargets) {
        Registrar registrar = RegistrarAssembly.registrar(properties, stack, engine, trunks, digestAuthenticator, clock);
        if (properties.registrar().enabled()) {
            dispatch.attach(registrar);
            registeredTargets.connect(registrar);
            registrar.start();
        }
        return registrar;
    }

    /** {@code tandem_registrar_*}: bindings, cluster events, the holder's relay (docs/operations.md). */
    @Bean
    io.tandem.console.registrations.RegistrarMetrics registrarMetrics(io.micrometer.core.instrument.MeterRegistry registry, Registrar registrar) {
        return new io.tandem.console.registrations.RegistrarMetrics(registry, registrar);
    }

    /** {@code /actuator/health/readiness} is OUT_OF_SERVICE while warming up or draining. */
    @Bean
    CallPathReadiness callPathReadiness(CallEngine engine) {
        return new CallPathReadiness(engine);
    }

    /**
     * After a start the node takes no calls (503, readiness OUT_OF_SERVICE, OPTIONS 503) until
     * {@link CallPathWarmup} has run the call path on loopback for {@code tandem.warmup.duration}.
     */
    @Bean
    CallPathWarmupOnStart callPathWarmupOnStart(WarmupProperties warmup, CallEngine engine, SipStack stack, RouteTableHolder routes) {
        return new CallPathWarmupOnStart(warmup, engine, stack, routes::current);
    }

    @Bean
    CallMetrics callMetrics(io.micrometer.core.instrument.MeterRegistry registry, CallEngine engine, SipStack stack,
                            VendorBreakers breakers) {
        return new CallMetrics(registry, engine, stack, breakers);
    }

    @Bean(destroyMethod = "close")
    SipStack sipStack(TandemProperties properties, CallEngine engine, TrunkIdentificationHolder trunks, SipCapture capture,
                      RegistrarDispatch dispatch) {
        TandemProperties.Sip sip = properties.sip();
        SipStackConfig defaults = SipStackConfig.defaults();
        SipStackConfig config = new SipStackConfig(sip.address(), sip.externalAddress(), sip.port(), sip.port(), sip.tlsPort(),
                properties.dataDir(), tls(sip.tls()), sip.eventLoops(), true, sip.connectionIdleTimeout(),
                sip.maxConnectionsPerAddress(), sip.maxConnections(),
                defaults.transactions().withServerTransactionLimits(sip.maxServerTransactions(), sip.maxServerTransactionsPerSource()),
                protection(sip), sip.dnsServerAddresses(), overload(sip.overload()), sip.spreadUdpReads(),
                (int) sip.udpReceiveBuffer().toBytes());
        // registered contacts' addresses identify their trunk, like its CIDRs (docs/registrations.md)
        engine.identifyRegisteredSources(dispatch);
        // with capture and HEP export both off at start, no tap handler is put on the sockets at all
        SipStack stack = SipStack.start(config, properties.registrar().enabled() ? dispatch : engine,
                capture.enabled() ? capture : WireTap.NONE);
        // keep-alive OPTIONS from a load balancer get 503 whenever the node takes no calls
        engine.onAvailabilityChange(accepting -> stack.transactions().setRefusingCalls(!accepting));
        // Provisioned trunks, vendor gateways and trusted proxies are traffic, never a flood to limit or ban.
        // So are registered contacts and the peer nodes (their registration events come in bursts).
        java.util.Set<java.net.InetAddress> peerAddresses = RegistrarAssembly.peerAddresses(properties);
        stack.trust(source -> trunks.isProvisioned(source) || dispatch.isRegistered(source) || peerAddresses.contains(source));
        engine.attach(stack);
        return stack;
    }
}
