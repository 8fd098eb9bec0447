package io.tandem.console.ui.cdrs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.console.ui.accounts.MoneyText;
import io.tandem.console.ui.capture.LadderView;
import java.util.List;
import io.tandem.console.ui.forms.AccountLabels;

/**
 * Every attempt of one call, with what the customer was sold and what the vendor charged, and what the media
 * relay saw of each direction (for the attempt that carried anchored media).
 */
class CallDetailDialog extends Dialog {

    /** @param mayOpenLadder offer the call's SIP ladder (admins and operators) */
    CallDetailDialog(List<CdrRecord> attempts, AccountLabels accountNames, boolean mayOpenLadder) {
        setId("cdr-detail");
        setWidth("90vw");
        setHeaderTitle(attempts.isEmpty() ? "No CDRs" : "Call " + attempts.getFirst().callUuid());
        Grid<CdrRecord> grid = new Grid<>();
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(CdrRecord::attempt).setHeader("Try").setAutoWidth(true);
        grid.addColumn(c -> accountNames.name(c.vendorAccountId()))
                .setHeader("Vendor").setAutoWidth(true);
        grid.addColumn(c -> c.calleeOut()).setHeader("Number sent").setAutoWidth(true);
        grid.addColumn(c -> c.sipCode() + " " + c.sipReason()).setHeader("Result").setAutoWidth(true);
        grid.addColumn(c -> CdrsView.TIME.format(c.startedAt())).setHeader("Started").setAutoWidth(true);
        grid.addColumn(c -> c.pddMs() == null ? "" : c.pddMs() + " ms").setHeader("PDD").setAutoWidth(true);
        grid.addColumn(CdrRecord::billsec).setHeader("Billed s").setAutoWidth(true);
        grid.addColumn(c -> c.hangupSide().name().toLowerCase(java.util.Locale.ROOT)).setHeader("Hung up by").setAutoWidth(true);
        grid.addColumn(c -> snapshot(c.sell(), c.currency())).setHeader("Sell rate").setAutoWidth(true);
        grid.addColumn(c -> snapshot(c.buy(), c.currency())).setHeader("Buy rate").setAutoWidth(true);
        grid.addColumn(c -> MoneyText.format(c.sellCost(), c.currency())).setHeader("Sell").setAutoWidth(true);
        grid.addColumn(c -> MoneyText.format(c.buyCost(), c.currency())).setHeader("Buy").setAutoWidth(true);
        grid.addColumn(c -> MoneyText.format(c.margin(), c.currency())).setHeader("Margin").setAutoWidth(true);
        grid.addColumn(c -> c.media() == null ? "" : media(c.media().fromCustomer())).setHeader("RTP from customer").setAutoWidth(true);
        grid.addColumn(c -> c.media() == null ? "" : media(c.media().fromVendor())).setHeader("RTP from vendor").setAutoWidth(true);
        grid.setItems(accountNames.learn(attempts, CdrRecord::vendorAccountId));
        grid.setAllRowsVisible(true);
        add(grid);
        if (mayOpenLadder && !attempts.isEmpty()) {
            java.util.UUID call = attempts.getFirst().callUuid();
            // the UI before closing: a closed dialog is detached and has none
            Button ladder = new Button("SIP ladder", click -> getUI().ifPresent(ui -> {
                close();
                ui.navigate(LadderView.path(call, null));
            }));
            ladder.setId("cdr-ladder");
            getFooter().add(ladder);
        }
        getFooter().add(new Button("Close", click -> close()));
    }

    /** What the relay saw of one direction: {@code 1,500 pkts · 258,000 B · 3 lost (0.2 %) · jitter 4 ms}. */
    static String media(CdrMediaStats.Direction d) {
        long expected = d.packets() + d.lost();
        String lossShare = expected == 0 ? "" : String.format(java.util.Locale.ROOT, " (%.1f %%)", 100.0 * d.lost() / expected);
        return String.format(java.util.Locale.ROOT, "%,d pkts · %,d B · %,d lost%s · jitter %d ms", d.packets(), d.octets(), d.lost(),
                lossShare, d.jitterMs());
    }

    private static String snapshot(RateSnapshot rate, String currency) {
        return rate == null ? "" : rate.prefix() + " · " + MoneyText.format(rate.ratePerMinute(), currency) + "/min + "
                + MoneyText.format(rate.connectFee(), currency) + " · " + rate.initialIncrement() + "/" + rate.nextIncrement();
    }
}
