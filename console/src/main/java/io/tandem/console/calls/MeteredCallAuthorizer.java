package io.tandem.console.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tandem.billing.account.Money;
import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.CallAuthorizer;
import io.tandem.billing.authorization.RejectionReason;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The call engine's billing, counted for {@code /actuator/prometheus}: what each customer and each
 * vendor carried (calls or attempts, answered or not, billed seconds, PDD, revenue and cost) and how
 * billing answered requests for money. Labels are account ids and a few closed sets, never numbers
 * or calls, so the series grow with the accounts and nothing else.
 *
 * <p>Money is added up exactly in micro-units and only turned into a Prometheus float when scraped.
 * Settlements are counted when the engine hands them over (on its billing workers), not when they
 * reach the database: these are traffic figures; the ledger stays the books.
 */
public final class MeteredCallAuthorizer implements CallAuthorizer {

    private final CallAuthorizer billing;
    private final MeterRegistry registry;
    private final Map<String, Counter> authorizations = new ConcurrentHashMap<>();
    private final Counter granted;
    private final Map<RejectionReason, Counter> refused = new EnumMap<>(RejectionReason.class);
    private final Map<Long, Party> customers = new ConcurrentHashMap<>();
    private final Map<Long, Party> vendors = new ConcurrentHashMap<>();

    public MeteredCallAuthorizer(CallAuthorizer billing, MeterRegistry registry) {
        this.billing = billing;
        this.registry = registry;
        this.granted = authorizationCounter("granted");
        for (RejectionReason reason : RejectionReason.values()) {
            refused.put(reason, authorizationCounter(reason.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
    }

    private Counter authorizationCounter(String result) {
        return authorizations.computeIfAbsent(result, r -> Counter.builder("tandem.billing.authorizations")
                .description("requests for money to start or extend a call, by billing's answer").tag("result", r)
                .register(registry));
    }

    @Override
    public Optional<Authorization> authorizeIfLeaseReady(UUID callUuid, long accountId, RateSnapshot rate) {
        Optional<Authorization> answer = billing.authorizeIfLeaseReady(callUuid, accountId, rate);
        answer.ifPresent(this::count);
        return answer;
    }

    @Override
    public Authorization authorize(UUID callUuid, long accountId, RateSnapshot rate) {
        return count(billing.authorize(callUuid, accountId, rate));
    }

    @Override
    public Authorization extend(Authorization.Granted grant) {
        return count(billing.extend(grant));
    }

    private Authorization count(Authorization answer) {
        switch (answer) {
            case Authorization.Granted g -> granted.increment();
            case Authorization.Rejected r -> refused.get(r.reason()).increment();
        }
        return answer;
    }

    @Override
    public CompletableFuture<Void> settle(Authorization.Granted grant, List<CdrRecord> attempts) {
        record(attempts);
        return billing.settle(grant, attempts);
    }

    @Override
    public CompletableFuture<Void> settleUnauthorized(UUID callUuid, long accountId, List<CdrRecord> attempts) {
        record(attempts);
        return billing.settleUnauthorized(callUuid, accountId, attempts);
    }

    private void record(List<CdrRecord> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        CdrRecord first = attempts.getFirst();
        Party customer = customers.computeIfAbsent(first.customerAccountId(), id -> new Party("customer", id));
        CdrRecord answered = null;
        Integer pddMs = null;
        BigDecimal revenue = Money.ZERO;
        for (CdrRecord attempt : attempts) {
            revenue = revenue.add(attempt.sellCost());
            if (attempt.answeredAt() != null) {
                answered = attempt;
            }
            if (attempt.pddMs() != null) {
                pddMs = attempt.pddMs();
            }
            if (attempt.vendorAccountId() != null) {
                Party vendor = vendors.computeIfAbsent(attempt.vendorAccountId(), id -> new Party("vendor", id));
                vendor.count(attempt.answeredAt() != null, attempt.billsec(), attempt.pddMs(), attempt.currency(), attempt.buyCost());
            }
        }
        customer.count(answered != null, answered == null ? 0 : answered.billsec(), pddMs, first.currency(), revenue);
    }

    /** The meters of one customer (calls, revenue) or one vendor (attempts, cost). */
    private final class Party {
        private final String role;
        private final Tags tags;
        private final Counter answered;
        private final Counter unanswered;
        private final Counter billedSeconds;
        private final Timer pdd;
        private final Map<String, LongAdder> microsByCurrency = new ConcurrentHashMap<>();

        Party(String role, long accountId) {
            this.role = role;
            this.tags = Tags.of(role, Long.toString(accountId));
            String counted = role.equals("customer") ? "tandem.customer.calls" : "tandem.vendor.attempts";
            String what = role.equals("customer") ? "calls of a customer" : "attempts to a vendor";
            this.answered = Counter.builder(counted).description(what + ", answered or not").tags(tags).tag("result", "answered").register(registry);
            this.unanswered = Counter.builder(counted).description(what + ", answered or not").tags(tags).tag("result", "unanswered").register(registry);
            this.billedSeconds = Counter.builder("tandem." + role + ".billed.seconds").description("billed seconds (ACD = this / answered)")
                    .baseUnit("seconds").tags(tags).register(registry);
            this.pdd = Timer.builder("tandem." + role + ".pdd").description("post-dial delay of calls that got a ringing or answer")
                    .tags(tags).register(registry);
        }

        void count(boolean wasAnswered, int billsec, Integer pddMs, String currency, BigDecimal amount) {
            (wasAnswered ? answered : unanswered).increment();
            billedSeconds.increment(billsec);
            if (pddMs != null) {
                pdd.record(Duration.ofMillis(pddMs));
            }
            if (currency != null && amount.signum() != 0) {
                microsByCurrency.computeIfAbsent(currency, this::moneyCounter).add(amount.movePointRight(Money.SCALE).longValueExact());
            }
        }

        private LongAdder moneyCounter(String currency) {
            LongAdder micros = new LongAdder();
            String name = role.equals("customer") ? "tandem.customer.revenue" : "tandem.vendor.cost";
            String what = role.equals("customer") ? "what the customer was charged" : "what the vendor charges";
            FunctionCounter.builder(name, micros, m -> m.sum() / 1_000_000.0).description(what + ", in the currency's units")
                    .tags(tags).tag("currency", currency).register(registry);
            return micros;
        }
    }
}
