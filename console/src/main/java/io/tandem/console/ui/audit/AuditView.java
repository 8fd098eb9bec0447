package io.tandem.console.ui.audit;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.audit.AuditLogReader;
import io.tandem.console.audit.persistence.AuditLogRepository.AuditEntry;
import io.tandem.console.change.FieldChanges;
import io.tandem.console.ui.ConsoleRole;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Who changed what, when and from where, newest first; filter by actor, entity and period (UTC
 * days, both included). An entry opens to its fields before and after.
 */
@Route("audit")
@PageTitle("Audit log · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.FINANCE})
public class AuditView extends VerticalLayout {

    static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AuditLogReader audit;
    final TextField actor = new TextField("Actor");
    final ComboBox<String> entity = new ComboBox<>("Entity");
    final DatePicker from = new DatePicker("From (UTC)");
    final DatePicker to = new DatePicker("To, included");
    final Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);

    public AuditView(AuditLogReader audit) {
        this.audit = audit;
        addClassName("tandem-audit");
        setSizeFull();
        actor.setMaxLength(128);
        actor.setPlaceholder("alice or api:billing");
        actor.setClearButtonVisible(true);
        actor.setValueChangeMode(ValueChangeMode.LAZY);
        entity.setItems(audit.entities());
        entity.setClearButtonVisible(true);
        for (var field : List.of(from, to)) {
            field.setClearButtonVisible(true);
        }
        actor.addValueChangeListener(change -> refresh());
        entity.addValueChangeListener(change -> refresh());
        from.addValueChangeListener(change -> refresh());
        to.addValueChangeListener(change -> refresh());
        HorizontalLayout filters = new HorizontalLayout(actor, entity, from, to);
        filters.setAlignItems(Alignment.BASELINE);

        grid.setId("audit-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(e -> AT.format(e.at())).setHeader("At (UTC)").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditEntry::actor).setHeader("Actor").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(e -> e.entity() + (e.entityId().isEmpty() ? "" : " " + e.entityId())).setHeader("Entity").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(e -> e.detail() == null ? "" : e.detail()).setHeader("Detail").setFlexGrow(1);
        grid.addColumn(AuditEntry::sourceIp).setHeader("From").setAutoWidth(true).setFlexGrow(0);
        grid.addItemClickListener(click -> details(click.getItem()));
        grid.setSizeFull();
        add(new H2("Audit log"), filters, grid);
        refresh();
    }

    void refresh() {
        String who = actor.getValue();
        String what = entity.getValue();
        Instant start = from.getValue() == null ? null : from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
        LocalDate last = to.getValue();
        Instant end = last == null ? null : last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        grid.setItems(query -> audit.page(who, what, start, end, query.getOffset(), query.getLimit()).stream());
    }

    void details(AuditEntry entry) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(entry.action() + " " + entry.entity() + " " + entry.entityId());
        dialog.setWidth("min(800px, 95vw)");
        Div who = new Div(AT.format(entry.at()) + " UTC by " + entry.actor() + (entry.sourceIp().isEmpty() ? "" : " from " + entry.sourceIp()));
        who.addClassName("tandem-muted");
        dialog.add(who);
        List<FieldChanges.Change> changes = audit.changes(entry);
        if (!changes.isEmpty()) {
            Grid<FieldChanges.Change> table = new Grid<>(FieldChanges.Change.class, false);
            table.setId("audit-changes");
            table.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
            table.addColumn(FieldChanges.Change::field).setHeader("Field").setAutoWidth(true).setFlexGrow(0);
            table.addColumn(FieldChanges.Change::before).setHeader("Before");
            table.addColumn(FieldChanges.Change::after).setHeader("After");
            table.setItems(changes);
            table.setAllRowsVisible(true);
            dialog.add(table);
        }
        Pre detail = new Pre(entry.detail() == null ? "" : entry.detail().replace("; ", "\n"));
        detail.addClassName("tandem-audit-detail");
        dialog.add(detail);
        dialog.getFooter().add(new Button("Close", click -> dialog.close()));
        dialog.open();
    }
}
