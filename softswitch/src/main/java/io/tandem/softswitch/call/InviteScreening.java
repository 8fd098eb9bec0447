package io.tandem.softswitch.call;

import io.tandem.billing.cdr.CdrRecord;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SessionExpires;
import io.tandem.softswitch.sip.message.SipRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a new INVITE may become a call, before any routing or money: identify the
 * customer (source address in a trunk's CIDRs, else SIP digest), then trunk enabled, Min-SE,
 * account active, CPS (account, then trunk), concurrent calls (account, then trunk). Stateless
 * over thread-safe collaborators; runs on the INVITE's loop.
 */
final class InviteScreening {

    /** The verdict on one INVITE. */
    sealed interface Screening {
        /** May proceed; holds the account and trunk call slots, which the call releases when it ends. */
        record Admitted(TrunkAccess trunk, List<AdmissionControl.Slot> slots) implements Screening {
        }

        /** Ask for digest credentials (407); {@code stale} when the nonce ran out (RFC 2617 §3.2.1). */
        record Challenge(boolean stale) implements Screening {
        }

        record Refused(CallRejection rejection) implements Screening {
        }
    }

    private final Supplier<TrunkIdentification> trunks;
    private final DigestAuthenticator digest;
    private final DigestFailureBans bans;
    private final AdmissionControl admission;
    private final Duration sessionMinSe;

    InviteScreening(Supplier<TrunkIdentification> trunks, DigestAuthenticator digest, DigestFailureBans bans,
                    AdmissionControl admission, Duration sessionMinSe) {
        this.trunks = trunks;
        this.digest = digest;
        this.bans = bans;
        this.admission = admission;
        this.sessionMinSe = sessionMinSe;
    }

    /** No carrier sends more; longer would not fit the CDR (io.tandem.billing.cdr.CdrRecord's limits). */
    static final int MAX_CALL_ID_OCTETS = CdrRecord.MAX_SIP_CALL_ID;
    static final int MAX_NUMBER = CdrRecord.MAX_NUMBER;

    Screening screen(SipRequest invite, InetSocketAddress source) {
        Optional<CallRejection> malformed = tooLong(invite);
        if (malformed.isPresent()) {
            return new Screening.Refused(malformed.get());
        }
        TrunkIdentification identification = trunks.get();
        Optional<TrunkAccess> bySource = identification.bySource(source.getAddress());
        TrunkAccess trunk;
        if (bySource.isPresent()) {
            trunk = bySource.get();
        } else {
            String credentials = invite.header(HeaderName.PROXY_AUTHORIZATION);
            if (credentials == null) {
                return challengeOrRefuse(identification, source, false);
            }
            Optional<String> username = DigestAuthenticator.username(credentials);
            Optional<TrunkIdentification.DigestIdentity> identity = username.flatMap(identification::byDigestUser);
            if (identity.isEmpty()) {
                bans.failed(source.getAddress());
                return new Screening.Refused(new CallRejection.AuthenticationFailed(username.orElse("")));
            }
            TrunkAccess.DigestUser user = identity.get().user();
            switch (digest.verify(credentials, invite.method(), user.ha1Md5(), user.ha1Sha256())) {
                case DigestAuthenticator.Verdict.Valid valid -> trunk = identity.get().trunk();
                case DigestAuthenticator.Verdict.Stale stale -> {
                    return challengeOrRefuse(identification, source, true);
                }
                case DigestAuthenticator.Verdict.Invalid invalid -> {
                    bans.failed(source.getAddress());
                    return new Screening.Refused(new CallRejection.AuthenticationFailed(
                            invalid.username() == null ? "" : invalid.username()));
                }
            }
        }
        return admit(invite, trunk);
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

    private static Screening challengeOrRefuse(TrunkIdentification identification, InetSocketAddress source, boolean stale) {
        if (!stale && !identification.hasDigestUsers()) {
            return new Screening.Refused(new CallRejection.UnknownSource(source.getAddress().getHostAddress()));
        }
        return new Screening.Challenge(stale);
    }

    private Screening admit(SipRequest invite, TrunkAccess trunk) {
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
