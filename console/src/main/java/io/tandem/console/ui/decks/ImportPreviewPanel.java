package io.tandem.console.ui.decks;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import io.tandem.console.ui.accounts.MoneyText;
import io.tandem.routing.Micros;
import io.tandem.routing.deck.DeckDiff;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.DiffKind;
import io.tandem.routing.deck.DiffLine;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.ImportStatus;
import io.tandem.routing.deck.PriceTerms;
import io.tandem.routing.deck.RowError;
import java.util.List;
import java.util.Locale;

/**
 * What an upload would change, before it changes anything: counts per kind, samples, the increases that come
 * sooner than the deck's notice period, and the rows with errors by row number; then commit or discard.
 */
class ImportPreviewPanel extends VerticalLayout {

    /** What the buttons do; the view sends them to the service. */
    interface Actions {
        void commit(long importId, boolean acceptEarlyIncreases);

        void discard(long importId);
    }

    final Button commit = new Button("Commit");
    final Button discard = new Button("Discard");
    final Checkbox acceptEarlyIncreases = new Checkbox("Accept increases inside the notice period");

    ImportPreviewPanel(ImportPreview preview, String currency, boolean mayChange, Actions actions) {
        setId("deck-preview");
        setPadding(false);
        DeckImport upload = preview.deckImport();
        DeckDiff diff = preview.diff();
        add(new H4("Preview of " + upload.fileName() + " (" + upload.rowCount() + " rows, " + upload.mode().code() + ")"));

        HorizontalLayout counts = new HorizontalLayout(
                count("new", "New", upload.newCount(), "success"),
                count("increased", "Increased", upload.increasedCount(), "error"),
                count("decreased", "Decreased", upload.decreasedCount(), "success"),
                count("closed", "Closed", upload.closedCount(), "contrast"),
                count("unchanged", "Unchanged", upload.unchangedCount(), ""),
                count("errors", "Errors", upload.errorCount(), upload.errorCount() > 0 ? "error" : ""));
        counts.addClassName("tandem-preview-counts");
        add(counts);

        if (diff != null && diff.noticeViolationCount() > 0) {
            Paragraph warning = new Paragraph(diff.noticeViolationCount() + " price increase(s) take effect sooner than the deck's notice period."
                    + " Committing them needs your explicit acceptance.");
            warning.setId("deck-preview-notice");
            warning.addClassName("tandem-warning");
            add(warning, lines(diff.noticeViolations(), currency));
        }

        TabSheet details = new TabSheet();
        details.setWidthFull();
        if (!upload.errors().isEmpty()) {
            Grid<RowError> errors = new Grid<>();
            errors.setId("deck-preview-errors");
            errors.addThemeVariants(GridVariant.LUMO_COMPACT);
            errors.addColumn(RowError::row).setHeader("Row").setAutoWidth(true);
            errors.addColumn(RowError::column).setHeader("Column").setAutoWidth(true);
            errors.addColumn(RowError::message).setHeader("Problem").setFlexGrow(1);
            errors.setItems(upload.errors());
            errors.setAllRowsVisible(true);
            details.add("Errors (" + upload.errorCount() + ")", errors);
        }
        if (diff != null) {
            for (DiffKind kind : DiffKind.values()) {
                List<DiffLine> samples = diff.samples().getOrDefault(kind, List.of());
                if (!samples.isEmpty()) {
                    details.add(kind.name().charAt(0) + kind.name().substring(1).toLowerCase(Locale.ROOT) + " (samples)", lines(samples, currency));
                }
            }
        }
        add(details);

        boolean committable = upload.status() == ImportStatus.PREVIEWED;
        if (!committable) {
            Paragraph rejected = new Paragraph("This upload cannot be committed (" + upload.status().code() + "): fix the rows listed"
                    + " and upload again, or tick \"Commit the valid rows\" before uploading.");
            rejected.setId("deck-preview-rejected");
            rejected.addClassName("tandem-warning");
            add(rejected);
        }
        commit.setId("deck-commit");
        commit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        commit.setDisableOnClick(true);
        commit.addClickListener(click -> actions.commit(upload.id(), acceptEarlyIncreases.getValue()));
        discard.setId("deck-discard");
        discard.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        discard.setDisableOnClick(true);
        discard.addClickListener(click -> actions.discard(upload.id()));
        acceptEarlyIncreases.setVisible(diff != null && diff.noticeViolationCount() > 0);
        HorizontalLayout buttons = new HorizontalLayout(commit, discard, acceptEarlyIncreases);
        buttons.setVisible(committable && mayChange);
        buttons.setAlignItems(Alignment.CENTER);
        add(buttons);
    }

    /** Lets the buttons be clicked again after a refusal. */
    void enableButtons() {
        commit.setEnabled(true);
        discard.setEnabled(true);
    }

    private static Span count(String id, String label, int value, String theme) {
        Span badge = new Span(label + " " + value);
        badge.setId("preview-count-" + id);
        badge.getElement().setAttribute("theme", ("badge " + theme).trim());
        badge.getElement().setAttribute("data-count", String.valueOf(value));
        return badge;
    }

    private static Grid<DiffLine> lines(List<DiffLine> lines, String currency) {
        Grid<DiffLine> grid = new Grid<>();
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.addColumn(l -> l.row() == 0 ? "" : String.valueOf(l.row())).setHeader("Row").setAutoWidth(true);
        grid.addColumn(DiffLine::prefix).setHeader("Prefix").setAutoWidth(true);
        grid.addColumn(DiffLine::destination).setHeader("Destination").setFlexGrow(1);
        grid.addColumn(l -> rate(l.oldTerms(), currency)).setHeader("Old rate").setAutoWidth(true);
        grid.addColumn(l -> rate(l.newTerms(), currency)).setHeader("New rate").setAutoWidth(true);
        grid.addColumn(l -> l.increase() == null ? "" : l.increase()).setHeader("What rose").setAutoWidth(true);
        grid.addColumn(l -> l.effectiveFrom() == null ? "" : RatesBrowser.TIME.format(l.effectiveFrom())).setHeader("From (UTC)")
                .setAutoWidth(true);
        grid.setItems(lines);
        grid.setAllRowsVisible(true);
        return grid;
    }

    private static String rate(PriceTerms terms, String currency) {
        return terms == null ? "" : MoneyText.format(Micros.toDecimal(terms.rateMicros()), currency) + " " + terms.increments();
    }
}
