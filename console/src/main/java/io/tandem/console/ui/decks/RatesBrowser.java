package io.tandem.console.ui.decks;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.ui.accounts.MoneyText;
import io.tandem.routing.Micros;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.RateDeck;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The rates of one deck, by prefix, with a prefix search; keyset pages, so a million-row deck scrolls as fast as a small one. */
class RatesBrowser extends VerticalLayout {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    final TextField prefix = new TextField();
    final Grid<CurrentRate> grid = new Grid<>();
    private final RateDeckService decks;
    private RateDeck deck;
    private KeysetPages<CurrentRate> pages;

    RatesBrowser(RateDeckService decks) {
        this.decks = decks;
        setPadding(false);
        setSizeFull();
        prefix.setId("rates-prefix");
        prefix.setPlaceholder("Prefix, e.g. 4420");
        prefix.setAllowedCharPattern("[0-9]");
        prefix.setMaxLength(RateDeckService.MAX_PREFIX);
        prefix.setClearButtonVisible(true);
        prefix.setValueChangeMode(ValueChangeMode.LAZY);
        prefix.addValueChangeListener(change -> reload());

        grid.setId("rates-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(CurrentRate::prefix).setHeader("Prefix").setAutoWidth(true);
        grid.addColumn(CurrentRate::destination).setHeader("Destination").setFlexGrow(1);
        grid.addColumn(r -> money(r.rateMicros())).setHeader("Rate / min").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(r -> money(r.connectFeeMicros())).setHeader("Connect fee").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(r -> r.initialIncrement() + "/" + r.nextIncrement()).setHeader("Increments").setAutoWidth(true);
        grid.addColumn(r -> TIME.format(r.effectiveFrom())).setHeader("From (UTC)").setAutoWidth(true);
        grid.addColumn(r -> r.effectiveUntil() == null ? "" : TIME.format(r.effectiveUntil())).setHeader("Until").setAutoWidth(true);
        grid.addColumn(r -> r.blocked() ? "blocked" : r.effectiveFrom().isAfter(Instant.now()) ? "scheduled" : "in force")
                .setHeader("State").setAutoWidth(true);
        add(prefix, grid);
        expand(grid);
    }

    void show(RateDeck shown) {
        this.deck = shown;
        reload();
    }

    void reload() {
        if (deck == null) {
            grid.setItems(java.util.List.of());
            return;
        }
        long deckId = deck.id();
        String filter = prefix.getValue();
        pages = new KeysetPages<CurrentRate>((after, limit) -> decks.ratesAfter(deckId, filter, after, limit));
        KeysetPages<CurrentRate> current = pages;
        grid.setItems(query -> current.fetch(query.getOffset(), query.getLimit()).stream());
    }

    private String money(long micros) {
        return MoneyText.format(Micros.toDecimal(micros), deck == null ? "" : deck.currency());
    }
}
