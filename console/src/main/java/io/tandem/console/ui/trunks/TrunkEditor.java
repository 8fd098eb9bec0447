package io.tandem.console.ui.trunks;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.tandem.billing.account.Account;
import io.tandem.console.ui.forms.AccountPicker;
import io.tandem.console.service.Outcome;
import io.tandem.console.routing.ProfileView;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.trunks.NumberTest;
import io.tandem.console.trunks.TrunkRequest;
import io.tandem.console.trunks.TrunkService;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.routing.provisioning.IngressTrunkSpec;
import io.tandem.routing.provisioning.TranslationRuleSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Creates or edits one ingress trunk, and tests a typed number against the rules as they stand in
 * the form (saved or not), exactly as the softswitch would translate it.
 */
class TrunkEditor extends Dialog {

    static final int MAX_LINES_TEXT = 4000;

    private final TrunkService trunks;
    private final IngressTrunk trunk;
    private final Runnable saved;
    private final FieldMessages messages = new FieldMessages();

    final ComboBox<Account> account = new ComboBox<>("Customer");
    final TextField name = new TextField("Name");
    final TextArea sourceCidrs = new TextArea("Source CIDRs (one per line)");
    final TextArea digestUsers = new TextArea("Digest users: username password (one per line)");
    final TextField techPrefix = new TextField("Tech prefix");
    final TextArea calleeRules = new TextArea("Callee translation: match => replace (first match wins)");
    final TextArea callerRules = new TextArea("Caller translation: match => replace");
    final ComboBox<ProfileView> profile = new ComboBox<>("Routing profile");
    final ComboBox<RateDeck> sellDeck = new ComboBox<>("Sell rate deck");
    final Select<String> mediaMode = new Select<>();
    final Select<String> assertedIdentity = new Select<>();
    final IntegerField maxCps = new IntegerField("Max CPS");
    final IntegerField maxCalls = new IntegerField("Max concurrent calls");
    final Checkbox enabled = new Checkbox("Enabled", true);
    final Checkbox digestMd5 = new Checkbox("Accept MD5 digests (off: SHA-256 only)", true);
    final TextField testCallee = new TextField("Test a number (dialled)");
    final TextField testCaller = new TextField("Caller (optional)");
    final Span testResult = new Span();
    final Div testSteps = new Div();

    TrunkEditor(TrunkService trunks, RoutingService routing, boolean mayChange, IngressTrunk trunk, Runnable saved) {
        this.trunks = trunks;
        this.trunk = trunk;
        this.saved = saved;
        setHeaderTitle(trunk == null ? "New ingress trunk" : "Trunk " + trunk.name());
        setWidth("min(1100px, 95vw)");
        addClassName("tandem-trunk-editor");

        AccountPicker.lazy(account, trunks::customerAccounts, trunks::countCustomerAccounts);
        account.setItemLabelGenerator(a -> a.name() + " (#" + a.id() + ", " + a.currency() + ")");
        account.setRequired(true);
        account.addValueChangeListener(change -> sellDeck.setItems(change.getValue() == null ? List.of() : trunks.sellDecks(change.getValue().id())));
        name.setMaxLength(128);
        name.setRequired(true);
        sourceCidrs.setMaxLength(MAX_LINES_TEXT);
        sourceCidrs.setPlaceholder("192.0.2.10/32");
        digestUsers.setMaxLength(MAX_LINES_TEXT);
        digestUsers.setHelperText(trunk == null || trunk.digestUsers().isEmpty() ? "Passwords of at least 8 characters; stored as hashes only."
                : "Now: " + String.join(", ", trunk.digestUsers()) + ". Leave empty to keep them; anything typed replaces them all.");
        techPrefix.setMaxLength(16);
        techPrefix.setAllowedCharPattern("[0-9#*]");
        calleeRules.setMaxLength(MAX_LINES_TEXT);
        calleeRules.setId("trunk-callee-rules");
        calleeRules.setPlaceholder("^00 =>\n^0([1-9]) => 44$1");
        callerRules.setMaxLength(MAX_LINES_TEXT);
        profile.setItems(routing.profiles(0, 1000));
        profile.setItemLabelGenerator(p -> p.name() + " (" + p.strategy() + ")");
        profile.setClearButtonVisible(true);
        sellDeck.setItemLabelGenerator(d -> d.name() + " (#" + d.id() + ", " + d.currency() + ")");
        sellDeck.setClearButtonVisible(true);
        mediaMode.setLabel("Media");
        mediaMode.setItems("relay", "auto", "bypass");
        mediaMode.setValue("relay");
        assertedIdentity.setLabel("P-Asserted-Identity");
        assertedIdentity.setItems("pass", "strip", "caller");
        assertedIdentity.setValue("pass");
        assertedIdentity.setHelperText("pass: keep the customer's; strip: remove it; caller: set it from the caller number");
        for (IntegerField limit : List.of(maxCps, maxCalls)) {
            limit.setMin(1);
            limit.setMax(1_000_000);
            limit.setHelperText("empty = no limit");
            limit.setClearButtonVisible(true);
        }

        messages.bind("accountId", account).bind("name", name).bind("sourceCidrs", sourceCidrs).bind("digestUsers", digestUsers)
                .bind("techPrefix", techPrefix).bind("calleeTranslations", calleeRules).bind("callerTranslations", callerRules)
                .bind("routingProfileId", profile).bind("sellDeckId", sellDeck).bind("mediaMode", mediaMode)
                .bind("assertedIdentity", assertedIdentity).bind("maxCps", maxCps).bind("maxConcurrentCalls", maxCalls);

        if (trunk != null) {
            show(trunk, routing);
        }

        FormLayout form = new FormLayout(account, name, sourceCidrs, digestUsers, techPrefix, profile, calleeRules, callerRules, sellDeck,
                mediaMode, assertedIdentity, maxCps, maxCalls, enabled, digestMd5);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("700px", 2));
        form.getChildren().forEach(field -> {
            if (field instanceof com.vaadin.flow.component.HasValue<?, ?> value) {
                value.setReadOnly(!mayChange);
            }
        });

        testCallee.setId("trunk-test-number");
        testCallee.setMaxLength(TrunkService.MAX_TEST_NUMBER);
        testCallee.setValueChangeMode(ValueChangeMode.EAGER);
        testCaller.setMaxLength(TrunkService.MAX_TEST_NUMBER);
        testCaller.setValueChangeMode(ValueChangeMode.EAGER);
        testResult.setId("trunk-test-result");
        testSteps.addClassName("tandem-trunk-test-steps");
        for (var source : List.of(testCallee, testCaller, techPrefix)) {
            source.addValueChangeListener(change -> runTest());
        }
        calleeRules.setValueChangeMode(ValueChangeMode.LAZY);
        callerRules.setValueChangeMode(ValueChangeMode.LAZY);
        calleeRules.addValueChangeListener(change -> runTest());
        callerRules.addValueChangeListener(change -> runTest());
        HorizontalLayout testInputs = new HorizontalLayout(testCallee, testCaller);
        VerticalLayout testBox = new VerticalLayout(testInputs, testResult, testSteps);
        testBox.setPadding(false);
        testBox.setSpacing(false);
        Details test = new Details("Test a number against these rules", testBox);
        test.setOpened(true);
        test.addClassName("tandem-trunk-test");

        add(form, test);

        Button close = new Button("Close", click -> close());
        getFooter().add(close);
        if (mayChange) {
            if (trunk != null) {
                Button toggle = new Button(trunk.enabled() ? "Disable" : "Enable", click -> toggle());
                toggle.setId("trunk-toggle");
                toggle.addThemeVariants(trunk.enabled() ? ButtonVariant.LUMO_ERROR : ButtonVariant.LUMO_SUCCESS);
                getFooter().add(toggle);
            }
            Button save = new Button("Save", click -> save());
            save.setId("trunk-save");
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            getFooter().add(save);
        }
    }

    private void show(IngressTrunk t, RoutingService routing) {
        trunks.account(t.accountId()).ifPresent(account::setValue);
        name.setValue(t.name());
        sourceCidrs.setValue(String.join("\n", t.sourceCidrs()));
        techPrefix.setValue(t.techPrefix() == null ? "" : t.techPrefix());
        calleeRules.setValue(rulesText(t.calleeTranslations()));
        callerRules.setValue(rulesText(t.callerTranslations()));
        if (t.routingProfileId() != null) {
            routing.profile(t.routingProfileId()).ifPresent(p -> profile.getListDataView().getItems()
                    .filter(item -> item.id() == p.id()).findFirst().ifPresent(profile::setValue));
        }
        if (t.sellDeckId() != null) {
            sellDeck.getListDataView().getItems().filter(d -> d.id() == t.sellDeckId()).findFirst().ifPresent(sellDeck::setValue);
        }
        mediaMode.setValue(t.mediaMode().code());
        assertedIdentity.setValue(t.assertedIdentity().code());
        maxCps.setValue(t.maxCps());
        maxCalls.setValue(t.maxConcurrentCalls());
        enabled.setValue(t.enabled());
        digestMd5.setValue(t.digestMd5());
    }

    void runTest() {
        if (testCallee.getValue().isBlank()) {
            testResult.setText("");
            testSteps.removeAll();
            return;
        }
        NumberTest result = trunks.testNumber(techPrefix.getValue().strip(), parseRules(calleeRules.getValue()),
                parseRules(callerRules.getValue()), testCallee.getValue(), testCaller.getValue());
        testSteps.removeAll();
        if (result.accepted()) {
            testResult.setText("→ " + result.callee() + (result.caller().isEmpty() ? "" : "  (caller " + result.caller() + ")"));
            testResult.getElement().getThemeList().set("badge success", true);
            testResult.getElement().getThemeList().set("badge error", false);
        } else {
            testResult.setText("Refused: " + result.problem());
            testResult.getElement().getThemeList().set("badge error", true);
            testResult.getElement().getThemeList().set("badge success", false);
        }
        if (result.steps().isEmpty() && result.accepted()) {
            testSteps.add(new Div("no rule matched: the number goes on unchanged"));
        }
        result.steps().forEach(step -> testSteps.add(new Div(step)));
    }

    private void save() {
        TrunkRequest request = request();
        Outcome<IngressTrunk> outcome = trunk == null ? trunks.create(request) : trunks.update(trunk.id(), request);
        switch (outcome) {
            case Outcome.Done<IngressTrunk>(IngressTrunk done, var replayed) -> {
                FieldMessages.done("Trunk " + done.name() + " saved");
                saved.run();
                close();
            }
            case Outcome.Invalid<IngressTrunk>(var fields) -> messages.show(fields);
            case Outcome.NotFound<IngressTrunk> missing -> FieldMessages.error(missing.message());
            case Outcome<IngressTrunk> other -> FieldMessages.error(other.message());
        }
    }

    private void toggle() {
        switch (trunks.setEnabled(trunk.id(), !trunk.enabled())) {
            case Outcome.Done<IngressTrunk>(IngressTrunk done, var replayed) -> {
                FieldMessages.done("Trunk " + done.name() + (done.enabled() ? " enabled" : " disabled"));
                saved.run();
                close();
            }
            case Outcome.Invalid<IngressTrunk>(var fields) -> messages.show(fields);
            case Outcome.NotFound<IngressTrunk> missing -> FieldMessages.error(missing.message());
            case Outcome<IngressTrunk> other -> FieldMessages.error(other.message());
        }
    }

    TrunkRequest request() {
        return new TrunkRequest(account.getValue() == null ? null : account.getValue().id(), name.getValue(), lines(sourceCidrs.getValue()),
                techPrefix.getValue().isBlank() ? null : techPrefix.getValue().strip(), parseRules(calleeRules.getValue()),
                parseRules(callerRules.getValue()), profile.getValue() == null ? null : profile.getValue().id(),
                sellDeck.getValue() == null ? null : sellDeck.getValue().id(), mediaMode.getValue(), maxCps.getValue(), maxCalls.getValue(),
                enabled.getValue(), digest(digestUsers.getValue()), assertedIdentity.getValue(), digestMd5.getValue());
    }

    static List<String> lines(String text) {
        return Arrays.stream(text.split("\\R")).map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** {@code match => replace} per line; a line without {@code =>} is a pattern that removes what it matches. */
    static List<TranslationRuleSpec> parseRules(String text) {
        List<TranslationRuleSpec> rules = new ArrayList<>();
        for (String line : lines(text)) {
            int arrow = line.indexOf("=>");
            rules.add(arrow < 0 ? new TranslationRuleSpec(line, "")
                    : new TranslationRuleSpec(line.substring(0, arrow).strip(), line.substring(arrow + 2).strip()));
        }
        return rules;
    }

    static String rulesText(List<TranslationRuleSpec> rules) {
        return rules.stream().map(r -> r.match() + " => " + Optional.ofNullable(r.replace()).orElse("")).collect(Collectors.joining("\n"));
    }

    /** Null (keep the trunk's users) when empty; otherwise {@code username password} per line. */
    static List<IngressTrunkSpec.DigestCredential> digest(String text) {
        List<String> lines = lines(text);
        if (lines.isEmpty()) {
            return null;
        }
        return lines.stream().map(line -> {
            String[] parts = line.split("\\s+", 2);
            return new IngressTrunkSpec.DigestCredential(parts[0], parts.length > 1 ? parts[1] : null);
        }).toList();
    }
}
