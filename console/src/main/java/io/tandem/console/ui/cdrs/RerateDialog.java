package io.tandem.console.ui.cdrs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.rerating.RerateReport;
import io.tandem.billing.rerating.RerateTotal;
import io.tandem.console.cdrs.CdrService;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.console.ui.accounts.MoneyText;
import io.tandem.console.ui.accounts.ViewCaller;
import java.util.List;
import io.tandem.console.ui.forms.AccountLabels;
import org.springframework.security.access.AccessDeniedException;

/**
 * Re-rating the searched period: first a preview (old and new totals per customer, nothing changes), then, on
 * Apply, ledger adjustments; applying the same preview twice adjusts once.
 */
class RerateDialog extends Dialog {

    final Button preview = new Button("Preview");
    final Button apply = new Button("Apply adjustments");
    final Paragraph summary = new Paragraph();
    final Grid<RerateTotal> totals = new Grid<>();
    private RerateReport report;

    RerateDialog(CdrService cdrs, CdrFilter filter, AccountLabels accountNames) {
        setId("rerate-dialog");
        setHeaderTitle("Re-rate answered calls " + CdrsView.TIME.format(filter.from()) + " – " + CdrsView.TIME.format(filter.until()));
        setWidth("60rem");
        summary.setText("Prices the period's answered calls again with the rates in force now. Nothing changes until you apply.");
        totals.addThemeVariants(GridVariant.LUMO_COMPACT);
        totals.addColumn(t -> accountNames.name(t.customerAccountId())).setHeader("Customer").setFlexGrow(1);
        totals.addColumn(RerateTotal::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        totals.addColumn(t -> MoneyText.format(t.oldTotal(), "")).setHeader("Billed").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        totals.addColumn(t -> MoneyText.format(t.newTotal(), "")).setHeader("Re-rated").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        totals.addColumn(t -> MoneyText.format(t.delta(), "")).setHeader("Difference").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        totals.setAllRowsVisible(true);
        apply.setEnabled(false);
        apply.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        apply.setDisableOnClick(true);
        preview.addClickListener(click -> {
            try {
                switch (cdrs.previewRerating(ViewCaller.current(), filter)) {
                    case Outcome.Done<RerateReport> done -> {
                        report = done.value();
                        summary.setText(report.examined() + " answered attempts examined, " + report.changes().size() + " change price, "
                                + report.unpriced() + " no longer priced (kept).");
                        totals.setItems(accountNames.learn(report.totals(), RerateTotal::customerAccountId));
                        apply.setEnabled(!report.totals().isEmpty());
                    }
                    case Outcome<RerateReport> other -> FieldMessages.error(other.message());
                }
            } catch (AccessDeniedException refused) {
                FieldMessages.error(refused.getMessage());
            }
        });
        apply.addClickListener(click -> {
            try {
                switch (cdrs.applyRerating(ViewCaller.current(), report.id())) {
                    case Outcome.Done<List<RerateTotal>> done -> {
                        FieldMessages.done("Re-rated " + done.value().size() + " account(s); the adjustments are in their ledgers");
                        close();
                    }
                    case Outcome<List<RerateTotal>> other -> {
                        FieldMessages.error(other.message());
                        apply.setEnabled(true);
                    }
                }
            } catch (AccessDeniedException refused) {
                FieldMessages.error(refused.getMessage());
            }
        });
        add(summary, totals);
        getFooter().add(new Button("Close", click -> close()), preview, apply);
    }
}
