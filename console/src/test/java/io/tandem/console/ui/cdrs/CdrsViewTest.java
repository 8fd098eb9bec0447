package io.tandem.console.ui.cdrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.ui.BrowserlessConsoleTest;
import io.tandem.console.ui.ConsoleRole;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The CDRs view: newest first, the filters, field messages, and re-rating offered to finance only. */
class CdrsViewTest extends BrowserlessConsoleTest {

    /** A number no other test dials, so these CDRs are told apart from any others of the shared node. */
    static final String NUMBER = "3361234";

    @Autowired
    CdrStore cdrs;

    @Autowired
    AccountService accounts;

    @BeforeEach
    void calls() {
        Account customer = accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
        if (!cdrs.page(io.tandem.billing.cdr.CdrFilter.period(Instant.now().minusSeconds(86_400), Instant.now().plusSeconds(60))
                .calleePrefix(NUMBER), null, 1).isEmpty()) {
            return;
        }
        List<CdrRecord> calls = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 12; i++) {
            calls.add(call(customer.id(), now.minusSeconds(300L * (i + 1)), i % 3 != 2));
        }
        cdrs.insert(calls);
    }

    private static CdrRecord call(long customer, Instant started, boolean answered) {
        RateSnapshot sell = RateSnapshot.of("33", "0.020000", "0", 60, 60);
        RateSnapshot buy = RateSnapshot.of("33", "0.012000", "0", 1, 1);
        Instant answeredAt = answered ? started.plusMillis(1500) : null;
        Instant ended = answered ? answeredAt.plusSeconds(61) : started.plusMillis(700);
        return new CdrRecord(UUID.randomUUID(), 1, "node-a", UUID.randomUUID() + "@t", customer, 1L, null, null, "+100", NUMBER, "+100",
                NUMBER, started, answeredAt, ended, ended.toEpochMilli() - started.toEpochMilli(), answered ? 61 : 0, 1500,
                answered ? 200 : 486, answered ? "OK" : "Busy Here", 16, HangupSide.CALLER, "USD", sell, buy, null, null, null).priced();
    }

    @Test
    void aViewerSeesTheFilteredCallsNewestFirstAndNoRerating() {
        signIn("vera", ConsoleRole.VIEWER);
        CdrsView view = navigate(CdrsView.class);
        assertThat(view.rerate.isVisible()).isFalse();

        test(view.numberPrefix).setValue(NUMBER);
        test(view.search).click();
        assertThat(test(view.grid).size()).isEqualTo(12);
        assertThat(test(view.grid).getRow(0).cdr().startedAt()).isAfter(test(view.grid).getRow(11).cdr().startedAt());

        test(view.outcome).selectItem("failed");
        test(view.search).click();
        assertThat(test(view.grid).size()).isEqualTo(4);
        assertThat(test(view.grid).getRow(0).cdr().sipCode()).isEqualTo(486);
    }

    @Test
    void financeIsOfferedReratingOfTheSearchedPeriod() {
        signIn("fiona", ConsoleRole.FINANCE);
        CdrsView view = navigate(CdrsView.class);
        test(view.numberPrefix).setValue(NUMBER);
        test(view.search).click();

        assertThat(view.rerate.isVisible()).isTrue();
        test(view.rerate).click();
        RerateDialog dialog = $(RerateDialog.class).single();
        test(dialog.preview).click();
        assertThat(dialog.summary.getText()).startsWith("8 answered attempts examined");
    }

    @Test
    void aPrefixThatIsNotDigitsIsAFieldMessage() {
        signIn("vera", ConsoleRole.VIEWER);
        CdrsView view = navigate(CdrsView.class);

        test(view.numberPrefix).setValue("44a");
        test(view.search).click();

        assertThat(view.numberPrefix.isInvalid()).isTrue();
        assertThat(view.numberPrefix.getErrorMessage()).contains("digits only");
    }
}
