package io.tandem.console.ui.cdrs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.ui.forms.AccountLabels;
import io.tandem.console.ui.forms.AccountPicker;
import java.util.function.Function;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.persistence.CdrStore.PagedCdr;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.cdrs.CdrQuery;
import io.tandem.console.cdrs.CdrService;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.console.ui.accounts.MoneyText;
import io.tandem.console.ui.decks.KeysetPages;
import jakarta.annotation.security.RolesAllowed;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * CDRs: filter by period, customer, vendor, number prefix, answered or failed and SIP code; newest first in keyset
 * pages (millions of rows scroll like a hundred); a call's attempts with both rate snapshots on a click; the
 * filtered set as CSV, streamed; and, for finance, re-rating the filtered period.
 */
@Route("cdrs")
@PageTitle("CDRs · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE, ConsoleRole.VIEWER})
public class CdrsView extends VerticalLayout {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    final DateTimePicker from = new DateTimePicker("From (UTC)");
    final DateTimePicker until = new DateTimePicker("Until (UTC)");
    final ComboBox<Account> customer = new ComboBox<>("Customer");
    final ComboBox<Account> vendor = new ComboBox<>("Vendor");
    final TextField numberPrefix = new TextField("Number starts with");
    final Select<String> outcome = new Select<>();
    final IntegerField sipCode = new IntegerField("SIP code");
    final Button search = new Button("Search");
    final Anchor export = new Anchor();
    final Button rerate = new Button("Re-rate…");
    private final boolean mayOpenLadder;
    final Grid<PagedCdr> grid = new Grid<>();
    private final CdrService cdrs;
    private final AccountLabels accountNames;
    private final FieldMessages messages = new FieldMessages();
    private CdrFilter applied;

    public CdrsView(CdrService cdrs, AccountService accounts, AuthenticationContext authentication, Clock clock) {
        this.cdrs = cdrs;
        this.accountNames = new AccountLabels(accounts::names);
        setSizeFull();

        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        from.setValue(now.minusDays(1));
        until.setValue(now.plusMinutes(1));
        from.setId("cdrs-from");
        until.setId("cdrs-until");
        AccountPicker.lazy(customer, (text, offset, limit) -> accounts.search(new AccountSearch(text, AccountKind.CUSTOMER), offset, limit),
                text -> accounts.count(new AccountSearch(text, AccountKind.CUSTOMER)));
        customer.setItemLabelGenerator(Account::name);
        customer.setClearButtonVisible(true);
        AccountPicker.lazy(vendor, (text, offset, limit) -> accounts.search(new AccountSearch(text, AccountKind.VENDOR), offset, limit),
                text -> accounts.count(new AccountSearch(text, AccountKind.VENDOR)));
        vendor.setItemLabelGenerator(Account::name);
        vendor.setClearButtonVisible(true);
        numberPrefix.setAllowedCharPattern("[0-9]");
        numberPrefix.setMaxLength(CdrService.MAX_PREFIX);
        numberPrefix.setId("cdrs-prefix");
        outcome.setLabel("Calls");
        outcome.setItems("any", "answered", "failed");
        outcome.setValue("any");
        sipCode.setMin(100);
        sipCode.setMax(699);
        sipCode.setI18n(new IntegerField.IntegerFieldI18n().setMinErrorMessage("100 to 699").setMaxErrorMessage("100 to 699")
                .setBadInputErrorMessage("a SIP status such as 486"));
        messages.bind("from", from).bind("until", until).bind("numberPrefix", numberPrefix).bind("outcome", outcome).bind("sipCode", sipCode);
        search.setId("cdrs-search");
        search.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        search.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        search.addClickListener(click -> apply());
        export.setText("Export CSV");
        export.setId("cdrs-export");
        rerate.setId("cdrs-rerate");
        rerate.setVisible(authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.FINANCE));
        mayOpenLadder = authentication.hasAnyRole(io.tandem.console.ui.capture.LadderView.ROLES.toArray(String[]::new));
        rerate.addClickListener(click -> {
            if (applied != null) {
                new RerateDialog(cdrs, applied, accountNames).open();
            }
        });
        HorizontalLayout filters = new HorizontalLayout(from, until, customer, vendor, numberPrefix, outcome, sipCode, search, export, rerate);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.setWrap(true);

        grid.setId("cdrs-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(p -> TIME.format(p.cdr().startedAt())).setHeader("Started (UTC)").setAutoWidth(true);
        grid.addColumn(p -> accountNames.name(p.cdr().customerAccountId())).setHeader("Customer")
                .setAutoWidth(true);
        grid.addColumn(p -> accountNames.name(p.cdr().vendorAccountId()))
                .setHeader("Vendor").setAutoWidth(true);
        grid.addColumn(p -> p.cdr().callerIn()).setHeader("Caller").setAutoWidth(true);
        grid.addColumn(p -> p.cdr().calleeOut().isEmpty() ? p.cdr().calleeIn() : p.cdr().calleeOut()).setHeader("Number").setAutoWidth(true);
        grid.addColumn(p -> p.cdr().attempt()).setHeader("Try").setAutoWidth(true);
        grid.addColumn(p -> p.cdr().sipCode() + " " + p.cdr().sipReason()).setHeader("Result").setAutoWidth(true);
        grid.addColumn(p -> p.cdr().billsec()).setHeader("Billed s").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(p -> MoneyText.format(p.cdr().sellCost(), p.cdr().currency())).setHeader("Sell").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addColumn(p -> MoneyText.format(p.cdr().margin(), p.cdr().currency())).setHeader("Margin").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        grid.addItemClickListener(click -> new CallDetailDialog(cdrs.call(click.getItem().cdr().callUuid()), accountNames, mayOpenLadder).open());

        add(new H2("CDRs"), filters, grid);
        expand(grid);
        apply();
    }

    CdrQuery query() {
        return new CdrQuery(from.getValue() == null ? null : from.getValue().toInstant(ZoneOffset.UTC).toString(),
                until.getValue() == null ? null : until.getValue().toInstant(ZoneOffset.UTC).toString(),
                customer.getValue() == null ? null : customer.getValue().id(), vendor.getValue() == null ? null : vendor.getValue().id(),
                numberPrefix.getValue(), outcome.getValue(), sipCode.getValue());
    }

    void apply() {
        if (sipCode.isInvalid()) {
            return;
        }
        switch (cdrs.filter(query())) {
            case Outcome.Done<CdrFilter> done -> {
                messages.clear();
                show(done.value());
            }
            case Outcome.Invalid<CdrFilter> invalid -> messages.show(invalid.fields());
            case Outcome<CdrFilter> other -> FieldMessages.error(other.message());
        }
    }

    private void show(CdrFilter filter) {
        if (Duration.between(filter.from(), filter.until()).compareTo(CdrService.MAX_SEARCH_PERIOD) > 0) {
            messages.show(Map.of("from", "at most " + CdrService.MAX_SEARCH_PERIOD.toDays() + " days at once"));
            return;
        }
        applied = filter;
        KeysetPages<PagedCdr> pages = new KeysetPages<>((after, limit) -> switch (cdrs.search(filter, after == null ? null : after.position(), limit)) {
            case Outcome.Done<List<PagedCdr>> done -> done.value();
            case Outcome<List<PagedCdr>> refused -> List.of();
        });
        grid.setItems(query -> accountNames.learn(pages.fetch(query.getOffset(), query.getLimit()),
                List.<Function<PagedCdr, Long>>of(p -> p.cdr().customerAccountId(), p -> p.cdr().vendorAccountId())).stream());
        export.setHref(csv(filter), AttachmentType.DOWNLOAD);
    }

    private DownloadHandler csv(CdrFilter filter) {
        return event -> {
            event.setFileName("cdrs-" + filter.from().toString().replace(':', '-') + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            cdrs.writeCsv(filter, writer);
            writer.flush();
        };
    }
}
