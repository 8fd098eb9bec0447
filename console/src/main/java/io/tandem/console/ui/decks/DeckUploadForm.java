package io.tandem.console.ui.decks;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.console.decks.UploadOptions;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.deck.DeckFormatRequest;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How to read the next upload: a preset, the import mode, a date for rows without one, and an optional column mapping. */
class DeckUploadForm extends VerticalLayout {

    static final int MAX_COLUMN = 64;
    static final List<String> MAPPED_FIELDS = List.of("prefix", "destination", "rate", "connect_fee", "increments", "initial_increment",
            "next_increment", "effective_from");

    final ComboBox<String> preset = new ComboBox<>("Format", List.of("canonical", "astpp", "a2billing", "generic"));
    final RadioButtonGroup<String> mode = new RadioButtonGroup<>("Mode");
    final DateTimePicker effectiveFrom = new DateTimePicker("Rows without a date take effect (UTC; empty = now)");
    final Checkbox keepValidRows = new Checkbox("Commit the valid rows even if some rows have errors");
    final TextField delimiter = new TextField("Delimiter (empty = the format's)");
    final Checkbox decimalComma = new Checkbox("Decimal comma (0,0125)");
    final IntegerField headerOffset = new IntegerField("Rows before the header");
    final Checkbox hasHeader = new Checkbox("The file has a header row", true);
    final Map<String, TextField> columns = new LinkedHashMap<>();
    final FieldMessages messages = new FieldMessages();

    DeckUploadForm() {
        setPadding(false);
        preset.setValue("canonical");
        preset.setId("deck-upload-format");
        keepValidRows.setId("deck-upload-keep-valid");
        preset.setHelperText("canonical: prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from");
        mode.setItems("update", "full");
        mode.setItemLabelGenerator(m -> m.equals("update") ? "Update: only the listed codes change" : "Full: codes missing from the file close");
        mode.setValue("update");
        delimiter.setMaxLength(3);
        delimiter.setHelperText("one character, or tab");
        headerOffset.setMin(0);
        headerOffset.setMax(100);
        headerOffset.setI18n(new IntegerField.IntegerFieldI18n().setMinErrorMessage("0 or more").setMaxErrorMessage("at most 100")
                .setBadInputErrorMessage("a whole number"));

        FormLayout mapping = new FormLayout(delimiter, decimalComma, headerOffset, hasHeader);
        for (String field : MAPPED_FIELDS) {
            TextField column = new TextField(field.replace('_', ' '));
            column.setMaxLength(MAX_COLUMN);
            column.setPlaceholder("header name or #position");
            columns.put(field, column);
            mapping.add(column);
            messages.bind("columns." + field, column);
        }
        Details custom = new Details("Column mapping (when the format's column names do not fit)", mapping);
        messages.bind("format", preset).bind("mode", mode).bind("effectiveFrom", effectiveFrom).bind("delimiter", delimiter)
                .bind("headerOffset", headerOffset).bind("columns", columns.get("prefix"));
        FormLayout main = new FormLayout(preset, mode, effectiveFrom, keepValidRows);
        add(main, custom);
    }

    UploadOptions options() {
        Map<String, String> mapped = new LinkedHashMap<>();
        columns.forEach((field, column) -> {
            if (!column.getValue().isBlank()) {
                mapped.put(field, column.getValue().trim());
            }
        });
        DeckFormatRequest format = new DeckFormatRequest(preset.getValue(), delimiter.getValue().isBlank() ? null : delimiter.getValue(),
                decimalComma.getValue() ? Boolean.TRUE : null, headerOffset.getValue(), hasHeader.getValue() ? null : Boolean.FALSE,
                List.of(), mapped.isEmpty() ? null : mapped);
        return new UploadOptions(mode.getValue(), effectiveFrom.getValue() == null ? null : effectiveFrom.getValue().toInstant(ZoneOffset.UTC).toString(),
                format, keepValidRows.getValue(), Map.of());
    }
}
