package io.tandem.console.ui.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.console.reports.ReportKind;
import io.tandem.console.reports.ReportPeriod;
import io.tandem.console.reports.TrafficReports;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

class ReportsViewTest extends OpsViewFixture {

    @Autowired
    TrafficReports reports;

    @Test
    void financeSwitchesBetweenReportsAndAPeriodEndingBeforeItStartsIsRefusedOnItsField() throws Exception {
        signedInAs("fiona", ConsoleRole.FINANCE);
        ReportsView view = navigate(ReportsView.class);
        assertThat(view.kind()).isEqualTo(ReportKind.CUSTOMERS);
        view.kinds.setSelectedIndex(2);
        assertThat(view.kind()).isEqualTo(ReportKind.DESTINATIONS);
        assertThat(view.download.isEnabled()).isTrue();

        test(view.to).setValue(view.from.getValue().minusDays(3));
        assertThat(view.to.isInvalid()).isTrue();
        assertThat(view.to.getErrorMessage()).isEqualTo("must be after from");
        assertThat(view.download.isEnabled()).isFalse();

        StringWriter csv = new StringWriter();
        reports.writeCsv(ReportKind.VENDORS, new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")), csv);
        assertThat(csv.toString()).startsWith("key,name,currency,attempts,answered,asr_percent,acd_seconds,minutes,revenue,cost,margin\n");
    }

    @Test
    void anOperatorMayNotSeeTheMoney() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        assertThat(landsOn(ReportsView.class)).isFalse();
        ReportPeriod period = new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> reports.page(ReportKind.CUSTOMERS, period, 0, 10)).isInstanceOf(AccessDeniedException.class);
    }
}
