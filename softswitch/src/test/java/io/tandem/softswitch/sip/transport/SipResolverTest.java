package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.SipDestination.Lookup;
import io.tandem.softswitch.testing.LoopbackDnsServer;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 3263 lookups against a real DNS server on loopback. */
class SipResolverTest {
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private LoopbackDnsServer dns;

    @BeforeEach
    void startDns() {
        dns = LoopbackDnsServer.start();
    }

    @AfterEach
    void stop() {
        dns.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SipResolver resolver(Set<SipTransport> usable) {
        return new SipResolver(loop.next(), NioDatagramChannel.class, NioSocketChannel.class, List.of(dns.address()), usable);
    }

    private SipResolver resolver() {
        return resolver(EnumSet.allOf(SipTransport.class));
    }

    private static List<SipTarget> targets(SipResolver r, SipDestination d) throws Exception {
        return r.resolve(d).get(10, TimeUnit.SECONDS);
    }

    private static SipTarget target(SipTransport t, String ip, int port) {
        return new SipTarget(t, new InetSocketAddress(ip, port));
    }

    @Test
    void anIpLiteralIsUsedWithoutAskingDns() throws Exception {
        try (SipResolver r = resolver()) {
            assertThat(targets(r, SipDestination.udp("127.0.0.9", 5080))).containsExactly(target(SipTransport.UDP, "127.0.0.9", 5080));
            assertThat(targets(r, SipDestination.tcp("[::1]", -1))).containsExactly(target(SipTransport.TCP, "::1", 5060));
        }
        assertThat(dns.queries()).isZero();
    }

    @Test
    void anAddressLookupUsesEveryARecordOnTheGivenPort() throws Exception {
        dns.a("gw.carrier.test", "127.0.0.2").a("gw.carrier.test", "127.0.0.3");
        try (SipResolver r = resolver()) {
            assertThat(targets(r, new SipDestination(SipTransport.UDP, "gw.carrier.test", 5090, Lookup.ADDRESS)))
                .containsExactlyInAnyOrder(target(SipTransport.UDP, "127.0.0.2", 5090), target(SipTransport.UDP, "127.0.0.3", 5090));
        }
    }

    @Test
    void srvTargetsComeInPriorityOrderAndBackUpsFollow() throws Exception {
        dns.srv("_sip._udp.carrier.test", 20, 0, 5072, "backup.carrier.test")
            .srv("_sip._udp.carrier.test", 10, 0, 5071, "primary.carrier.test")
            .a("primary.carrier.test", "127.0.0.11")
            .a("backup.carrier.test", "127.0.0.12");
        try (SipResolver r = resolver()) {
            assertThat(targets(r, new SipDestination(SipTransport.UDP, "carrier.test", 5060, Lookup.SRV)))
                .containsExactly(target(SipTransport.UDP, "127.0.0.11", 5071), target(SipTransport.UDP, "127.0.0.12", 5072));
        }
    }

    @Test
    void aFailedTargetIsTriedLastUntilItsPenaltyEnds() throws Exception {
        dns.srv("_sip._tcp.carrier.test", 10, 0, 5071, "primary.carrier.test")
            .srv("_sip._tcp.carrier.test", 20, 0, 5072, "backup.carrier.test")
            .a("primary.carrier.test", "127.0.0.11")
            .a("backup.carrier.test", "127.0.0.12");
        SipDestination d = new SipDestination(SipTransport.TCP, "carrier.test", -1, Lookup.SRV);
        try (SipResolver r = resolver()) {
            SipTarget primary = targets(r, d).getFirst();
            assertThat(primary).isEqualTo(target(SipTransport.TCP, "127.0.0.11", 5071));
            r.markFailed(primary);
            assertThat(targets(r, d)).containsExactly(target(SipTransport.TCP, "127.0.0.12", 5072), primary);
        }
    }

    @Test
    void weightsShareOnePriorityAsRfc2782Says() throws Exception {
        dns.srv("_sip._udp.weighted.test", 10, 75, 5071, "heavy.weighted.test")
            .srv("_sip._udp.weighted.test", 10, 25, 5072, "light.weighted.test")
            .a("heavy.weighted.test", "127.0.0.21")
            .a("light.weighted.test", "127.0.0.22");
        SipDestination d = new SipDestination(SipTransport.UDP, "weighted.test", -1, Lookup.SRV);
        int heavyFirst = 0;
        int rounds = 4000;
        try (SipResolver r = resolver()) {
            for (int i = 0; i < rounds; i++) {
                List<SipTarget> t = targets(r, d);
                assertThat(t).hasSize(2);
                if (t.getFirst().address().getPort() == 5071) {
                    heavyFirst++;
                }
            }
        }
        // P(heavy first) = 76/101 with the inclusive draw of RFC 2782; about 7 standard deviations of slack.
        assertThat(heavyFirst / (double) rounds).isBetween(0.70, 0.81);
        assertThat(dns.queries()).as("the SRV answer is reused, not asked per call").isLessThan(10);
    }

    @Test
    void naptrChoosesTheTransportAndItsSrvName() throws Exception {
        dns.naptr("carrier.test", 20, 10, "s", "SIP+D2U", "_sip._udp.carrier.test")
            .naptr("carrier.test", 10, 10, "S", "SIP+D2T", "_sip._tcp.carrier.test")
            .naptr("carrier.test", 5, 10, "s", "SIP+D2X", "_sip._x.carrier.test")
            .srv("_sip._tcp.carrier.test", 10, 0, 5070, "tcp.carrier.test")
            .srv("_sip._udp.carrier.test", 10, 0, 5060, "udp.carrier.test")
            .a("tcp.carrier.test", "127.0.0.31")
            .a("udp.carrier.test", "127.0.0.32");
        SipDestination d = new SipDestination(SipTransport.UDP, "carrier.test", 5060, Lookup.NAPTR);
        try (SipResolver r = resolver()) {
            assertThat(targets(r, d)).containsExactly(target(SipTransport.TCP, "127.0.0.31", 5070),
                target(SipTransport.UDP, "127.0.0.32", 5060));
        }
        try (SipResolver udpOnly = resolver(EnumSet.of(SipTransport.UDP))) {
            assertThat(targets(udpOnly, d)).as("a transport this node cannot send is skipped")
                .containsExactly(target(SipTransport.UDP, "127.0.0.32", 5060));
        }
    }

    @Test
    void withoutNaptrEveryTransportsSrvIsTriedThenTheAddress() throws Exception {
        dns.srv("_sips._tcp.tls-only.test", 10, 0, 5061, "edge.tls-only.test")
            .a("edge.tls-only.test", "127.0.0.41")
            .a("plain.test", "127.0.0.42");
        try (SipResolver r = resolver()) {
            assertThat(targets(r, new SipDestination(SipTransport.UDP, "tls-only.test", 5060, Lookup.NAPTR)))
                .containsExactly(target(SipTransport.TLS, "127.0.0.41", 5061));
            assertThat(targets(r, new SipDestination(SipTransport.TCP, "plain.test", 5099, Lookup.NAPTR)))
                .as("no NAPTR, no SRV: the configured transport and port on the host's address")
                .containsExactly(target(SipTransport.TCP, "127.0.0.42", 5099));
        }
    }

    @Test
    void aDomainWithNoUsableRecordFailsWithItsName() {
        dns.srv("_sip._udp.gone.test", 0, 0, 0, ".");
        try (SipResolver r = resolver()) {
            assertThatThrownBy(() -> r.resolve(new SipDestination(SipTransport.UDP, "gone.test", -1, Lookup.SRV)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("gone.test");
        }
    }
}
