package io.tandem.softswitch.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binding table's state machine, one row of its table per test, on a hand-moved clock
 * ({@code now} is whatever the test says).
 */
class RegistrationsTest {

    static final long T0 = 1_765_000_000_000L;
    static final InetSocketAddress ALICE_PHONE = new InetSocketAddress(ip("192.0.2.7"), 5062);
    static final InetSocketAddress BOB_PHONE = new InetSocketAddress(ip("192.0.2.8"), 5060);

    final RegistrarSettings settings = RegistrarSettings.defaults("node-1").withCaps(3, 5);
    final Registrations table = new Registrations(settings);

    @Test
    void aNewContactIsBoundIdentifiesItsTrunkAndIsAnnounced() {
        Registrations.Outcome outcome = table.register(register("alice", 7, ALICE_PHONE, "call-1", 1, ask("sip:alice@192.0.2.7:5062", 600)), T0);

        Registrations.Outcome.Accepted accepted = (Registrations.Outcome.Accepted) outcome;
        assertThat(accepted.current()).singleElement().satisfies(b -> {
            assertThat(b.contact()).isEqualTo("sip:alice@192.0.2.7:5062");
            assertThat(b.secondsLeft(T0)).isEqualTo(600);
            assertThat(b.node()).isEqualTo("node-1");
        });
        assertThat(accepted.changes()).extracting(ClusterEvent::kind).containsExactly(ClusterEvent.Kind.REGISTER);
        assertThat(table.trunkOf(ALICE_PHONE.getAddress())).hasValue(7);
        assertThat(table.trunkOf(BOB_PHONE.getAddress())).isEmpty();
    }

    @Test
    void severalContactsOfOneRegisterAreAllBound() {
        Registrations.Outcome.Accepted accepted = (Registrations.Outcome.Accepted) table.register(register("alice", 7, ALICE_PHONE,
                "call-1", 1, ask("sip:alice@192.0.2.7:5062", 600), ask("sip:alice@192.0.2.7:5064", 120)), T0);

        assertThat(accepted.current()).extracting(Binding::contact).containsExactly("sip:alice@192.0.2.7:5062", "sip:alice@192.0.2.7:5064");
        assertThat(accepted.changes()).hasSize(2);
    }

    @Test
    void aRefreshWithAHigherCSeqMovesTheExpiryAndIsAnnouncedAsRefresh() {
        table.register(register("alice", 7, ALICE_PHONE, "call-1", 1, ask("sip:alice@192.0.2.7:5062", 120)), T0);

        Registrations.Outcome.Accepted refreshed = (Registrations.Outcome.Accepted) table.register(
                register("alice", 7, ALICE_PHONE, "call-1", 2, ask("sip:alice@192.0.2.7:5062", 600)), T0 + 60_000);

        assertThat(refreshed.changes()).extracting(ClusterEvent::kind).containsExactly(ClusterEvent.Kind.REFRESH);
        assertThat(refreshed.current().getFirst().secondsLeft(T0 + 60_000)).isEqualTo(600);
        assertThat(table.sweep(T0 + 121_000)).as("the old expiry no longer applies").isEmpty();
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.ownSize()).isEqualTo(1);
    }

    @Test
    void theSameCallIdWithACSeqNotAboveTheBindingsIsRefused() {
        table.register(register("alice", 7, ALICE_PHONE, "call-1", 5, ask("sip:alice@192.0.2.7:5062", 600)), T0);

        Registrations.Outcome replayed = table.register(register("alice", 7, ALICE_PHONE, "call-1", 5, ask("sip:alice@192.0.2.7:5062", 0)), T0);

        assertThat(replayed).isEqualTo(new Registrations.Outcome.Refused(RegisterRejection.OUT_OF_ORDER));
        assertThat(table.bindings("alice")).hasSize(1);
    }

    @Test
    void anotherCallIdUpdatesTheBindingWhateverItsCSeq() {
        table.register(register("alice", 7, ALICE_PHONE, "call-1", 5, ask("sip:alice@192.0.2.7:5062", 600)), T0);

        Registrations.Outcome outcome = table.register(register("alice", 7, ALICE_PHONE, "call-2", 1, ask("sip:alice@192.0.2.7:5062", 300)), T0);

        assertThat(outcome).isInstanceOf(Registrations.Outcome.Accepted.class);
        assertThat(table.bindings("alice").getFirst().callId()).isEqualTo("call-2");
    }

    @Test
    void expiresZeroRemovesOneContactAndTheSourceStopsIdentifying() {
        table.register(register("alice", 7, ALICE_PHONE, "call-1", 1, ask("sip:alice@192.0.2.7:5062", 600)), T0);

        Registrations.Outcome.Accepted removed = (Registrations.Outcome.Accepted) table.register(
                register("alice", 7, ALICE_PHONE, "call-1", 2, ask("sip:alice@192.0.2.7:5062", 0)), T0 + 1000);

        assertThat(removed.current()).isEmpty();
        assertThat(removed.changes()).extracting(ClusterEvent::kind).containsExactly(ClusterEvent.Kind.UNREGISTER);
        assertThat(table.trunkOf(ALICE_PHONE.getAddress())).isEmpty();
    }

    @Test
    void theWildcardRemovesEveryContactOfTheAor() {
        table.register(register("alice", 7, ALICE_PHONE, "call-1", 1, ask("sip:alice@192.0.2.7:5062", 600), ask("sip:alice@192.0.2.7:5064", 600)), T0);

        Registrations.Outcome.Accepted removed = (Registrations.Outcome.Accepted) table.register(
                new Registrations.Request("alice", 7, ALICE_PHONE, "UDP", "call-9", 1, true, List.of()), T0);

        assertThat(removed.changes()).hasSize(2).allMatch(e -> e.kind() == ClusterEvent.Kind.UNREGISTER);
        assertThat(table.size()).isZero();
    }

    @Test
    void aBindingExpiresOnTimeAndOnlyItsOwnNodeAnnouncesIt() {
        table.register(register("alice", 7, ALICE_PHONE, "call-1", 1, ask("sip:alice@192.0.2.7:5062", 60)), T0);
        table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, peerBinding("bob", BOB_PHONE, T0 + 60_000, T0 * 1000)), T0);

        assertThat(table.sweep(T0 + 59_999)).isEmpty();
        assertThat(table.size()).isEqualTo(2);

        List<ClusterEvent> expired = table.sweep(T0 + 60_000);
        assertThat(expired).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ClusterEvent.Kind.EXPIRE);
            assertThat(e.binding().aor()).isEqualTo("alice");
        });
        assertThat(table.size()).as("the peer's binding expires here too, silently").isZero();
        assertThat(table.trunkOf(BOB_PHONE.getAddress())).isEmpty();
    }

    @Test
    void aPeerEventIsAppliedOnceAndAnOlderOneChangesNothing() {
        Binding v2 = peerBinding("bob", BOB_PHONE, T0 + 600_000, 2000);
        assertThat(table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, v2), T0)).isTrue();
        assertThat(table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, v2), T0)).as("a duplicate").isFalse();
        assertThat(table.apply(new ClusterEvent(ClusterEvent.Kind.UNREGISTER, peerBinding("bob", BOB_PHONE, T0 + 600_000, 1000)), T0))
                .as("an older removal, overtaken").isFalse();
        assertThat(table.trunkOf(BOB_PHONE.getAddress())).hasValue(8);
    }

    @Test
    void aRemovalOvertakenByNoOneKeepsALateOlderRegisterOut() {
        assertThat(table.apply(new ClusterEvent(ClusterEvent.Kind.UNREGISTER, peerBinding("bob", BOB_PHONE, T0 + 600_000, 3000)), T0)).isFalse();

        boolean revived = table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, peerBinding("bob", BOB_PHONE, T0 + 600_000, 2000)), T0);

        assertThat(revived).as("the register was older than the removal already seen").isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void aTrunkCannotHoldMoreThanItsCapAcrossTheCluster() {
        table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, peerBinding("alice", ALICE_PHONE, T0 + 600_000, 1, "sip:alice@192.0.2.7:1")), T0);
        table.register(register("alice", 7, ALICE_PHONE, "c", 1, ask("sip:alice@192.0.2.7:2", 600), ask("sip:alice@192.0.2.7:3", 600)), T0);

        Registrations.Outcome fourth = table.register(register("alice", 7, ALICE_PHONE, "c", 2, ask("sip:alice@192.0.2.7:4", 600)), T0);

        assertThat(fourth).isEqualTo(new Registrations.Outcome.Refused(RegisterRejection.TRUNK_FULL));
    }

    @Test
    void theTableRefusesNewBindingsWhenFullButRefreshesGoOn() {
        for (int i = 0; i < 5; i++) {
            InetSocketAddress phone = new InetSocketAddress(ip("192.0.2." + (20 + i)), 5060);
            table.register(register("user" + i, 100 + i, phone, "c" + i, 1, ask("sip:u@192.0.2." + (20 + i), 600)), T0);
        }
        InetSocketAddress sixth = new InetSocketAddress(ip("192.0.2.99"), 5060);

        assertThat(table.register(register("user9", 109, sixth, "c9", 1, ask("sip:u@192.0.2.99", 600)), T0))
                .isEqualTo(new Registrations.Outcome.Refused(RegisterRejection.TABLE_FULL));
        assertThat(table.register(register("user0", 100, new InetSocketAddress(ip("192.0.2.20"), 5060), "c0", 2,
                ask("sip:u@192.0.2.20", 600)), T0)).isInstanceOf(Registrations.Outcome.Accepted.class);
        assertThat(table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, peerBinding("bob", BOB_PHONE, T0 + 600_000, 1)), T0))
                .as("a peer's binding is dropped too, not the memory bound").isFalse();
    }

    @Test
    void anAddressRegisteredByOneTrunkCannotBeTakenByAnother() {
        table.register(register("alice", 7, ALICE_PHONE, "c", 1, ask("sip:alice@192.0.2.7:5062", 600)), T0);

        Registrations.Outcome other = table.register(register("mallory", 66, new InetSocketAddress(ALICE_PHONE.getAddress(), 5099), "m", 1,
                ask("sip:mallory@192.0.2.7:5099", 600)), T0);

        assertThat(other).isEqualTo(new Registrations.Outcome.Refused(RegisterRejection.SOURCE_OF_ANOTHER_TRUNK));
        assertThat(table.trunkOf(ALICE_PHONE.getAddress())).hasValue(7);
    }

    @Test
    void tombstonesAreForgottenAfterMaxExpires() {
        table.register(register("alice", 7, ALICE_PHONE, "c", 1, ask("sip:alice@192.0.2.7:5062", 600)), T0);
        table.register(register("alice", 7, ALICE_PHONE, "c", 2, ask("sip:alice@192.0.2.7:5062", 0)), T0);

        table.sweep(T0 + settings.maxExpires().toMillis() + 1);

        // a genuinely new register from a peer with an old clock is taken once the tombstone is gone
        assertThat(table.apply(new ClusterEvent(ClusterEvent.Kind.REGISTER, new Binding("alice", 7, "sip:alice@192.0.2.7:5062",
                ALICE_PHONE, "UDP", T0 + Duration.ofHours(2).toMillis(), "c", 3, 1, "node-2")), T0 + settings.maxExpires().toMillis() + 2))
                .isTrue();
    }

    // ------------------------------------------------------------------ helpers

    static Registrations.ContactAsk ask(String contact, long seconds) {
        return new Registrations.ContactAsk(contact, seconds);
    }

    static Registrations.Request register(String aor, long trunk, InetSocketAddress source, String callId, long cseq,
                                          Registrations.ContactAsk... asks) {
        return new Registrations.Request(aor, trunk, source, "UDP", callId, cseq, false, List.of(asks));
    }

    static Binding peerBinding(String aor, InetSocketAddress source, long expiresAt, long version) {
        return peerBinding(aor, source, expiresAt, version, "sip:" + aor + "@" + source.getAddress().getHostAddress() + ":" + source.getPort());
    }

    static Binding peerBinding(String aor, InetSocketAddress source, long expiresAt, long version, String contact) {
        return new Binding(aor, aor.equals("alice") ? 7 : 8, contact, source, "UDP", expiresAt, "peer-call", 1, version, "node-2");
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
