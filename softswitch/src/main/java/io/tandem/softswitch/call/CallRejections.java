package io.tandem.softswitch.call;

import io.tandem.billing.authorization.Authorization;
import io.tandem.routing.NoRoute;
import io.tandem.routing.NoRouteReason;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import java.util.ArrayList;
import java.util.List;

/** The one table from {@link CallRejection} to what the customer's switch receives. */
public final class CallRejections {

    /** The reason name of INVITEs dropped without an answer (scanners, banned sources). */
    public static final String SILENCED = "silenced";

    private CallRejections() {
    }

    /**
     * A metric-label name for the kind of rejection, e.g. {@code no-route} or {@code cps-limit-exceeded}:
     * the record's name in kebab case, one per kind and never anything a caller sent.
     */
    public static String reasonName(CallRejection rejection) {
        return kebab(rejection.getClass().getSimpleName());
    }

    /** Every name {@link #reasonName} can give, and {@link #SILENCED}. */
    public static List<String> reasonNames() {
        List<String> names = new ArrayList<>();
        for (Class<?> kind : CallRejection.class.getPermittedSubclasses()) {
            names.add(kebab(kind.getSimpleName()));
        }
        names.add(SILENCED);
        return List.copyOf(names);
    }

    private static String kebab(String camel) {
        StringBuilder name = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    name.append('-');
                }
                name.append(Character.toLowerCase(c));
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /**
     * The answer to a refused request: status and reason phrase, {@code Reason} (RFC 3326),
     * {@code Retry-After} when trying later may help, {@code Min-SE} with a 422 (RFC 4028 §6).
     */
    public static SipResponse response(ServerTransaction tx, CallRejection rejection) {
        return describe(tx.responseBuilder(toSip(rejection).status()), rejection).build();
    }

    /** {@link #response} for an answer sent without a transaction (the stack adds the To tag and Via received). */
    public static SipResponse.Builder statelessResponse(SipRequest request, CallRejection rejection) {
        return describe(request.createResponse(toSip(rejection).status()), rejection);
    }

    private static SipResponse.Builder describe(SipResponse.Builder response, CallRejection rejection) {
        SipRejection sip = toSip(rejection);
        response.status(sip.status(), sip.reasonPhrase()).header(HeaderName.REASON, sip.reasonHeader());
        if (sip.retryAfter() > 0) {
            response.header(HeaderName.RETRY_AFTER, Integer.toString(sip.retryAfter()));
        }
        if (rejection instanceof CallRejection.MediaNotAcceptable) {
            // RFC 3261 §20.43: 399 "miscellaneous warning", the text says what was wrong with the offer
            response.header(HeaderName.WARNING, "399 tandem \"" + sip.reasonHeader().substring(sip.reasonHeader().indexOf("text=\"") + 6));
        }
        if (rejection instanceof CallRejection.SessionIntervalTooSmall small) {
            response.header(HeaderName.MIN_SE, Long.toString(small.minSeconds()));
        }
        return response;
    }

    /** Why routing found no way: a blocked destination, or no rate, profile or vendor. */
    public static CallRejection of(NoRoute noRoute) {
        return switch (noRoute.reason()) {
            case BLOCKED_DESTINATION -> new CallRejection.DestinationBlocked(noRoute.callee());
            case NOT_REGISTERED -> new CallRejection.NotRegistered(noRoute.detail());
            default -> new CallRejection.NoRoute(noRoute.detail());
        };
    }

    /** Why billing said no, with the account it said it of. */
    public static CallRejection of(Authorization.Rejected rejected, long accountId) {
        return switch (rejected.reason()) {
            case INSUFFICIENT_FUNDS -> new CallRejection.InsufficientFunds(accountId);
            case DAILY_LIMIT_REACHED -> new CallRejection.DailySpendLimitReached(accountId);
            case ACCOUNT_NOT_ACTIVE -> new CallRejection.AccountNotActive(accountId, "not active");
            case UNKNOWN_ACCOUNT -> new CallRejection.AccountNotActive(accountId, "unknown");
            case BILLING_UNAVAILABLE -> new CallRejection.Overloaded("billing database unavailable");
        };
    }

    public static SipRejection toSip(CallRejection rejection) {
        return switch (rejection) {
            case CallRejection.UnknownSource r -> new SipRejection(403, "Forbidden", 21, "unknown source " + r.address(), 0);
            case CallRejection.AuthenticationFailed r -> new SipRejection(403, "Forbidden", 21, "authentication failed", 0);
            case CallRejection.TrunkDisabled r -> new SipRejection(403, "Forbidden", 21, "trunk disabled", 0);
            case CallRejection.AccountNotActive r -> new SipRejection(403, "Forbidden", 21, "account " + r.status(), 0);
            case CallRejection.NoRoute r -> new SipRejection(404, "No Route", 3, "no route: " + r.why(), 0);
            case CallRejection.NotRegistered r -> new SipRejection(480, "Temporarily Unavailable", 20, "not registered", 0);
            case CallRejection.DestinationBlocked r -> new SipRejection(403, "Destination Blocked", 21, "destination blocked", 0);
            case CallRejection.InsufficientFunds r -> new SipRejection(402, "Payment Required", 21, "insufficient balance", 0);
            case CallRejection.DailySpendLimitReached r -> new SipRejection(402, "Payment Required", 21, "daily spend limit reached", 0);
            case CallRejection.CpsLimitExceeded r -> new SipRejection(503, "Service Unavailable", 34, "CPS limit of " + r.scope(), r.retryAfterSeconds());
            case CallRejection.ConcurrencyLimitExceeded r -> new SipRejection(503, "Service Unavailable", 34, "call limit of " + r.scope(), 5);
            case CallRejection.NodeDraining r -> new SipRejection(503, "Service Unavailable", 41, "node draining", 30);
            case CallRejection.NodeWarmingUp r -> new SipRejection(503, "Service Unavailable", 41, "node warming up", 5);
            case CallRejection.Overloaded r -> new SipRejection(503, "Service Unavailable", 42, "overloaded: " + r.what(), 2);
            case CallRejection.VendorsExhausted r -> new SipRejection(503, "Service Unavailable", 34, "all vendors failed"
                    + (r.lastStatus() == 0 ? " (timeout)" : " (last " + r.lastStatus() + ")"), 0);
            case CallRejection.TooManyHops r -> new SipRejection(483, "Too Many Hops", 25, "too many hops", 0);
            case CallRejection.SessionIntervalTooSmall r -> new SipRejection(422, "Session Interval Too Small", 127,
                    "session interval below " + r.minSeconds() + " s", 0);
            case CallRejection.LoopDetected r -> new SipRejection(482, "Loop Detected", 25, "loop detected", 0);
            case CallRejection.CallIdTooLong r -> new SipRejection(400, "Call-ID Too Long", 100,
                    "Call-ID longer than " + r.maxOctets() + " octets", 0);
            case CallRejection.NumberTooLong r -> new SipRejection(484, "Address Incomplete", 28,
                    r.which() + " number longer than " + r.maxDigits() + " characters", 0);
            case CallRejection.MergedRequest r -> new SipRejection(482, "Loop Detected", 25, "merged request", 0);
            case CallRejection.MediaNotAcceptable r -> new SipRejection(488, "Not Acceptable Here", 88, "SDP cannot be anchored: " + r.why(), 0);
            case CallRejection.NoMediaPorts r -> new SipRejection(503, "Service Unavailable", 47, "no free media port", 5);
            case CallRejection.EndedBySwitch r -> new SipRejection(503, "Service Unavailable", 16, r.why(), 0);
        };
    }
}
