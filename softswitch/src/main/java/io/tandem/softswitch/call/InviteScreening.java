package io.tandem.softswitch.call;

import io.tandem.billing.cdr.CdrRecord;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.RegisteredSources;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SessionExpires;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.SipEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Decides whether a new INVITE may become a call, in two steps.
 *
 * <p>{@link #identify} runs before the stack spends a server transaction on the INVITE
 * ({@link io.tandem.softswitch.sip.transaction.SipRequestHandler#firstLook}), so whatever it
 * refuses or challenges is answered once, statelessly: fields too long for a CDR, a source being
 * slowed or banned (silence), the customer by source address inside an enabled trunk's CIDRs or of
 * one of its registered contacts, else
 * SIP digest ({@code 407}, {@code 403}). Unknown user and wrong password get the same {@code 403}
 * after the same work, and a nonce the source was not given is challenged again for both: the
 * answers tell a scanner nothing about which users exist.
 *
 * <p>{@link #admit} runs inside the transaction for an identified customer: Min-SE, account
 * active, CPS (account, then trunk), concurrent calls (account, then trunk).
 *
 * <p>Stateless over thread-safe collaborators; runs on any loop.
 */
final class InviteScreening {

    /** Who sent the INVITE, decided before any transaction state. */
    sealed interface Identification {
        /** A customer's trunk; {@code customer} is its address (the proxy's {@code X-Tandem-Source} behind one). */
        record Identified(TrunkAccess trunk, InetSocketAddress customer) implements Identification {
        }

        /** Ask for digest credentials (407); {@code stale} when the nonce was not good (RFC 7616 §3.3). */
        record Challenge(boolean stale, boolean sha256Only) implements Identification {
        }

        record Refused(CallRejection rejection) implements Identification {
        }

        /** No answer: the source is being slowed down after failed guesses, or is banned. */
        record Silenced(String why) implements Identification {
        }
    }

    /** The verdict on an identified customer's INVITE. */
    sealed interface Screening {
        /** May proceed; holds the account and trunk call slots, which the call releases when it ends. */
        record Admitted(TrunkAccess trunk, List<AdmissionControl.Slot> slots) implements Screening {
        }

        record Refused(CallRejection rejection) implements Screening {
        }
    }

    private final Supplier<TrunkIdentification> trunks;
    private final DigestAuthenticator digest;
    private final DigestFailureBans bans;
    private final SipEndpoint sip;
    private final AdmissionControl admission;
    private final Duration sessionMinSe;
    private final RegisteredSources registered;
    /** Hashes checked for a user name nobody has, so an unknown user costs the same as a wrong password. */
    private final String unknownUserMd5;
    private final String unknownUserSha256;

    InviteScreening(Supplier<TrunkIdentification> trunks, DigestAuthenticator digest, DigestFailureBans bans,
                    SipEndpoint sip, AdmissionControl admission, Duration sessionMinSe, RegisteredSources registered) {
        this.registered = registered;
        this.trunks = trunks;
        this.digest = digest;
        this.bans = bans;
        this.sip = sip;
        this.admission = admission;
        this.sessionMinSe = sessionMinSe;
        this.unknownUserMd5 = randomHex(16);
        this.unknownUserSha256 = randomHex(32);
    }

    /** No carrier sends more; longer would not fit the CDR (io.tandem.billing.cdr.CdrRecord's limits). */
    static final int MAX_CALL_ID_OCTETS = CdrRecord.MAX_SIP_CALL_ID;
    static final int MAX_NUMBER = CdrRecord.MAX_NUMBER;

    /**
     * @param customer the customer's address: the packet source, or what a trusted proxy says it is
     */
    Identification identify(SipRequest invite, InetSocketAddress customer) {
        Optional<CallRejection> malformed = tooLong(invite);
        if (malformed.isPresent()) {
            return new Identification.Refused(malformed.get());
        }
        InetAddress address = customer.getAddress();
        if (bans.slowed(address)) {
            return new Identification.Silenced("slowed after failed digest answers");
        }
        if (sip.isBanned(address)) {
            return new Identification.Silenced("banned");
        }
        TrunkIdentification identification = trunks.get();
        Optional<TrunkAccess> bySource = identification.bySource(address);
        if (bySource.isPresent()) {
            return new Identification.Identified(bySource.get(), customer);
        }
        // A registered contact's address is the trunk's while the binding lasts, like a CIDR (docs/registrations.md).
        OptionalLong registeredTrunk = registered.trunkOf(address);
        if (registeredTrunk.isPresent()) {
            Optional<TrunkAccess> trunk = identification.trunk(registeredTrunk.getAsLong()).filter(TrunkAccess::enabled);
            if (trunk.isPresent()) {
                return new Identification.Identified(trunk.get(), customer);
            }
        }
        String credentials = invite.header(HeaderName.PROXY_AUTHORIZATION);
        if (credentials == null) {
            return challengeOrRefuse(identification, customer, false, false);
        }
        Optional<String> username = DigestAuthenticator.username(credentials);
        // Users stored for another realm (before tandem.sip.realm changed) cannot answer this realm's challenge.
        Optional<TrunkIdentification.DigestIdentity> identity = username.flatMap(identification::byDigestUser)
                .filter(i -> digest.realm().equals(i.user().realm()));
        TrunkAccess.DigestUser user = identity.map(TrunkIdentification.DigestIdentity::user).orElse(null);
        // An unknown user goes through the same checks as a known one, against hashes no password has.
        DigestAuthenticator.Verdict verdict = digest.verify(credentials, invite.method(), invite.requestUri(), address,
                user == null ? unknownUserMd5 : user.ha1Md5(), user == null ? unknownUserSha256 : user.ha1Sha256(),
                identity.map(i -> i.trunk().digestMd5Allowed()).orElse(true));
        return switch (verdict) {
            case DigestAuthenticator.Verdict.Valid valid when identity.isPresent() ->
                    new Identification.Identified(identity.get().trunk(), customer);
            case DigestAuthenticator.Verdict.Valid valid -> new Identification.Refused(new CallRejection.AuthenticationFailed(""));
            case DigestAuthenticator.Verdict.Stale stale -> challengeOrRefuse(identification, customer, true, stale.sha256Only());
            case DigestAuthenticator.Verdict.Failed failed -> {
                bans.failed(address);
                yield new Identification.Refused(new CallRejection.AuthenticationFailed(
                        failed.username() == null ? "" : failed.username()));
            }
        };
    }

    /**
     * Fields a stranger controls that end up in the CDR are refused before any work when no carrier
     * would send them: the call could be carried, but never stored.
     */
    static Optional<CallRejection> tooLong(SipRequest invite) {
        if (utf8LongerThan(invite.callId(), MAX_CALL_ID_OCTETS)) {
            return Optional.of(new CallRejection.CallIdTooLong(MAX_CALL_ID_OCTETS));
        }
        String callee = invite.requestUri().user();
        if (callee != null && callee.length() > MAX_NUMBER) {
            return Optional.of(new CallRejection.NumberTooLong("callee", MAX_NUMBER));
        }
        String caller = invite.from().uri() == null ? null : invite.from().uri().user();
        if (caller != null && caller.length() > MAX_NUMBER) {
            return Optional.of(new CallRejection.NumberTooLong("caller", MAX_NUMBER));
        }
        return Optional.empty();
    }

    /** Whether the text takes more than {@code max} octets in UTF-8, without encoding it (this runs for every INVITE). */
    private static boolean utf8LongerThan(String text, int max) {
        if (text.length() > max) {
            return true;
        }
        int octets = 0;
        for (int i = 0; i < text.length() && octets <= max; i++) {
            char c = text.charAt(i);
            octets += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return octets > max;
    }

    private static Identification challengeOrRefuse(TrunkIdentification identification, InetSocketAddress source, boolean stale,
                                                     boolean sha256Only) {
        if (!identification.hasDigestUsers()) {
            return new Identification.Refused(new CallRejection.UnknownSource(source.getAddress().getHostAddress()));
        }
        return new Identification.Challenge(stale, sha256Only);
    }

    private static String randomHex(int octets) {
        byte[] random = new byte[octets];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    Screening admit(SipRequest invite, TrunkAccess trunk) {
        if (!trunk.enabled()) {
            return new Screening.Refused(new CallRejection.TrunkDisabled(trunk.trunkName()));
        }
        Optional<SessionExpires> askedInterval = SessionExpires.parse(invite.header(HeaderName.SESSION_EXPIRES));
        if (askedInterval.isPresent() && askedInterval.get().seconds() < sessionMinSe.toSeconds()) {
            return new Screening.Refused(new CallRejection.SessionIntervalTooSmall(sessionMinSe.toSeconds()));
        }
        if (!trunk.accountActive()) {
            return new Screening.Refused(new CallRejection.AccountNotActive(trunk.accountId(), trunk.accountStatus()));
        }
        Optional<CallRejection> overCps = admission.takeCps(AdmissionControl.accountScope(trunk.accountId()), trunk.accountMaxCps())
                .or(() -> admission.takeCps(AdmissionControl.trunkScope(trunk.trunkId()), trunk.trunkMaxCps()));
        if (overCps.isPresent()) {
            return new Screening.Refused(overCps.get());
        }
        Optional<AdmissionControl.Slot> accountSlot = admission.takeSlot(AdmissionControl.accountScope(trunk.accountId()),
                trunk.accountMaxConcurrent());
        if (accountSlot.isEmpty()) {
            return new Screening.Refused(new CallRejection.ConcurrencyLimitExceeded("account " + trunk.accountId()));
        }
        Optional<AdmissionControl.Slot> trunkSlot = admission.takeSlot(AdmissionControl.trunkScope(trunk.trunkId()),
                trunk.trunkMaxConcurrent());
        if (trunkSlot.isEmpty()) {
            accountSlot.get().release();
            return new Screening.Refused(new CallRejection.ConcurrencyLimitExceeded("trunk " + trunk.trunkName()));
        }
        return new Screening.Admitted(trunk, List.of(accountSlot.get(), trunkSlot.get()));
    }
}
