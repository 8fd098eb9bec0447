package io.tandem.billing.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.CdrStore.PagePosition;
import io.tandem.billing.persistence.CdrStore.PagedCdr;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The console's CDR search on both databases: keyset pages, newest first, give every matching attempt exactly
 * once, in order, even when many attempts start in the same millisecond, and the filters (number prefix,
 * answered, failed, SIP code) select what they say.
 */
class CdrPagesTest {

    private static final Instant DAY = Instant.parse("2026-11-30T00:00:00Z");

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void pagesWalkEveryMatchingAttemptOnceNewestFirst(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            CdrStore store = new CdrStore(db.dsl());
            Account customer = BillingFixtures.prepaidCustomer(db.dsl(), "0", "0");
            List<CdrRecord> all = new ArrayList<>();
            for (int i = 0; i < 230; i++) {
                // groups of five attempts share a start time: the id must break the tie
                Instant started = DAY.plusSeconds(i / 5);
                CdrRecord cdr = i % 3 == 0
                        ? BillingFixtures.failedAttempt(UUID.randomUUID(), 1, customer.id(), "node-a", started)
                        : BillingFixtures.answeredCall(UUID.randomUUID(), customer.id(), "node-a", started, 30_000,
                                BillingFixtures.SELL, BillingFixtures.BUY);
                all.add(cdr);
            }
            store.insert(all);
            CdrFilter period = CdrFilter.period(DAY, DAY.plusSeconds(3600)).customer(customer.id());

            List<PagedCdr> walked = walk(store, period, 17);
            assertThat(walked).hasSize(230);
            assertThat(walked).extracting(p -> p.cdr().callUuid()).doesNotHaveDuplicates();
            assertThat(walked).isSortedAccordingTo(Comparator.comparing((PagedCdr p) -> p.cdr().startedAt())
                    .thenComparing(PagedCdr::id).reversed());

            assertThat(walk(store, period.failed(), 10)).hasSize(count(all, c -> c.answeredAt() == null))
                    .allSatisfy(p -> assertThat(p.cdr().sipCode()).isEqualTo(503));
            assertThat(walk(store, period.answered(), 10)).hasSize(count(all, c -> c.answeredAt() != null));
            assertThat(walk(store, period.sipCode(503), 50)).hasSize(count(all, c -> c.sipCode() == 503));
            assertThat(walk(store, period.calleePrefix("44207"), 50)).hasSize(230);
            assertThat(walk(store, period.calleePrefix("33"), 50)).isEmpty();
            assertThat(store.page(CdrFilter.period(DAY.plusSeconds(10), DAY.plusSeconds(11)), null, 100))
                    .as("the period's bounds: [from, until)").hasSize(5);
        }
    }

    /**
     * A number prefix is read in two steps (the page's ids from the callee index, then those rows): page for page,
     * for a prefix with a customer and failed/answered filter, it returns what the one-query page returns.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aPrefixPageReadByIdsIsThePageOfOneQuery(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            CdrStore store = new CdrStore(db.dsl());
            Account customer = BillingFixtures.prepaidCustomer(db.dsl(), "0", "0");
            Account other = BillingFixtures.prepaidCustomer(db.dsl(), "0", "0");
            String[] numbers = {"442071234567", "442079876543", "4420", "44207", "4421000", "33123456", "4419999"};
            List<CdrRecord> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                // groups of three share a start time: the id breaks the tie in both queries
                Instant started = DAY.plusSeconds(i / 3);
                long owner = i % 4 == 0 ? other.id() : customer.id();
                CdrRecord cdr = i % 3 == 0
                        ? BillingFixtures.failedAttempt(UUID.randomUUID(), 1, owner, "node-a", started)
                        : BillingFixtures.answeredCall(UUID.randomUUID(), owner, "node-a", started, 30_000,
                                BillingFixtures.SELL, BillingFixtures.BUY);
                all.add(withCallee(cdr, numbers[i % numbers.length]));
            }
            store.insert(all);
            CdrFilter period = CdrFilter.period(DAY, DAY.plusSeconds(3600));

            for (CdrFilter filter : List.of(period.customer(customer.id()).failed().calleePrefix("4420"),
                    period.customer(customer.id()).answered().calleePrefix("44207"),
                    period.calleePrefix("4420"), period.customer(other.id()).failed().calleePrefix("4421"))) {
                List<PagedCdr> byIds = new ArrayList<>();
                List<PagedCdr> oneQuery = new ArrayList<>();
                PagePosition after = null;
                while (true) {
                    List<PagedCdr> page = store.pageByIds(filter, after, 7);
                    assertThat(page).as("page after %s of %s", after, filter)
                            .usingRecursiveFieldByFieldElementComparator().isEqualTo(store.pageInOneQuery(filter, after, 7));
                    byIds.addAll(page);
                    if (page.size() < 7) {
                        break;
                    }
                    after = page.getLast().position();
                }
                oneQuery.addAll(walk(store, filter, 7));
                assertThat(byIds).as("%s", filter).isNotEmpty().usingRecursiveFieldByFieldElementComparator().isEqualTo(oneQuery);
                String prefix = filter.calleePrefix();
                assertThat(byIds).hasSize(count(all, c -> c.calleeOut().startsWith(prefix)
                        && c.customerAccountId() == (filter.customerAccountId() == null ? c.customerAccountId() : filter.customerAccountId())
                        && (!filter.failedOnly() || c.answeredAt() == null) && (!filter.answeredOnly() || c.answeredAt() != null)));
            }
        }
    }

    private static CdrRecord withCallee(CdrRecord c, String callee) {
        return new CdrRecord(c.callUuid(), c.attempt(), c.nodeId(), c.sipCallId(), c.customerAccountId(), c.ingressTrunkId(),
                c.vendorAccountId(), c.vendorGatewayId(), c.callerIn(), callee, c.callerOut(), callee, c.startedAt(), c.answeredAt(),
                c.endedAt(), c.durationMs(), c.billsec(), c.pddMs(), c.sipCode(), c.sipReason(), c.q850Cause(), c.hangupSide(),
                c.currency(), c.sell(), c.buy(), c.sellCost(), c.buyCost(), c.margin(), c.media());
    }

    private static List<PagedCdr> walk(CdrStore store, CdrFilter filter, int pageSize) {
        List<PagedCdr> walked = new ArrayList<>();
        PagePosition after = null;
        while (true) {
            List<PagedCdr> page = store.page(filter, after, pageSize);
            walked.addAll(page);
            if (page.size() < pageSize) {
                return walked;
            }
            after = page.getLast().position();
        }
    }

    private static int count(List<CdrRecord> all, Predicate<CdrRecord> matching) {
        return (int) all.stream().filter(matching).count();
    }
}
