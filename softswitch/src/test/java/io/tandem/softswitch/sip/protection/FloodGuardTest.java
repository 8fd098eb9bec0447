package io.tandem.softswitch.sip.protection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FloodGuardTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final FloodGuard guard = new FloodGuard(new ProtectionConfig(true, 10, 20, Duration.ofSeconds(60),
        List.of("10.0.0.0/8", "2001:db8::/32"), true, ProtectionConfig.KNOWN_SCANNERS, 1000), nanos::get);

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    int admitted(InetAddress a, int n) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (guard.admit(a)) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void burstPassesThenTheSourceIsBannedForTheBanDuration() throws Exception {
        InetAddress attacker = ip("192.0.2.66");
        assertThat(admitted(attacker, 100)).isEqualTo(20);
        assertThat(guard.counters().bans()).isEqualTo(1);
        assertThat(guard.isBanned(attacker)).isTrue();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(guard.admit(attacker)).as("still banned").isFalse();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(guard.admit(attacker)).as("ban expired").isTrue();
    }

    @Test
    void theBucketRefillsAtTheConfiguredRate() throws Exception {
        InetAddress steady = ip("192.0.2.7");
        for (int second = 0; second < 30; second++) {
            assertThat(admitted(steady, 10)).isEqualTo(10);
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertThat(guard.counters().bans()).isZero();
    }

    @Test
    void allowListedSourcesAreNeverLimitedOrBanned() throws Exception {
        assertThat(admitted(ip("10.1.2.3"), 1000)).isEqualTo(1000);
        assertThat(admitted(ip("2001:db8::1"), 1000)).isEqualTo(1000);
        guard.ban(ip("10.1.2.3"));
        assertThat(guard.isBanned(ip("10.1.2.3"))).isFalse();
    }

    /** Kamailio pike's default: about 16 requests per 2 s from an unknown source; a sweep at 100/s is cut off at once. */
    @Test
    void byDefaultAnUnknownSourceGets16RequestsPer2SecondsAndATrustedOneIsNeverLimited() throws Exception {
        FloodGuard defaults = new FloodGuard(ProtectionConfig.defaults().withAllowList(List.of()), nanos::get);
        defaults.trust(address -> address.getHostAddress().equals("198.51.100.7"));
        int passed = 0;
        for (int i = 0; i < 200; i++) {
            if (defaults.admit(ip("192.0.2.66"))) {
                passed++;
            }
            nanos.addAndGet(Duration.ofMillis(10).toNanos());
        }
        assertThat(passed).isLessThanOrEqualTo(17);
        assertThat(defaults.isBanned(ip("192.0.2.66"))).isTrue();

        for (int i = 0; i < 10_000; i++) {
            assertThat(defaults.admit(ip("198.51.100.7"))).isTrue();
        }
        defaults.ban(ip("198.51.100.7"));
        assertThat(defaults.isBanned(ip("198.51.100.7"))).as("a provisioned peer is never banned").isFalse();
    }

    @Test
    void disabledProtectionAdmitsEverything() throws Exception {
        FloodGuard off = new FloodGuard(ProtectionConfig.disabled());
        for (int i = 0; i < 10_000; i++) {
            assertThat(off.admit(ip("192.0.2.1"))).isTrue();
        }
    }
}
