package io.tandem.console.ui.routing;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.billing.account.Account;
import io.tandem.console.ui.forms.AccountLabels;
import io.tandem.console.ui.forms.AccountPicker;
import io.tandem.console.service.Outcome;
import io.tandem.console.gateways.GatewayService;
import io.tandem.console.routing.ProfileRequest;
import io.tandem.console.routing.ProfileView;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.routing.RuleRequest;
import io.tandem.console.routing.RuleView;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.provisioning.VendorGateway;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One routing profile: its settings and its vendor list (rules), or the form for a new profile. */
class ProfilePanel extends VerticalLayout {

    private final RoutingService routing;
    private final GatewayService gateways;
    private final boolean mayChange;
    private final Runnable changed;
    private final FieldMessages profileMessages = new FieldMessages();
    private final FieldMessages ruleMessages = new FieldMessages();
    private ProfileView profile;
    private final AccountLabels vendorNames;
    private final Map<Long, String> gatewayNames;

    final H3 title = new H3();
    final TextField name = new TextField("Name");
    final Select<String> strategy = new Select<>();
    final TextField minMargin = new TextField("Min margin per minute");
    final TextField minMarginPercent = new TextField("Min margin %");
    final Checkbox allowLoss = new Checkbox("Allow loss (vendor dearer than the sell rate)");
    final IntegerField maxAttempts = new IntegerField("Max vendors tried per call");
    final Button saveProfile = new Button("Save profile");
    final Grid<RuleView> rules = new Grid<>(RuleView.class, false);
    final TextField rulePrefix = new TextField("Prefix");
    final ComboBox<Account> ruleVendor = new ComboBox<>("Vendor");
    final ComboBox<VendorGateway> ruleGateway = new ComboBox<>("Gateway");
    final IntegerField rulePriority = new IntegerField("Priority");
    final IntegerField ruleWeight = new IntegerField("Weight");
    final TextField ruleCeiling = new TextField("Rate ceiling");
    final HorizontalLayout addRule;
    private final VerticalLayout rulesSection;

    ProfilePanel(RoutingService routing, GatewayService gateways, boolean mayChange, Runnable changed) {
        this.routing = routing;
        this.gateways = gateways;
        this.mayChange = mayChange;
        this.changed = changed;
        setPadding(false);
        vendorNames = new AccountLabels(gateways::accountNames);
        gatewayNames = gateways.list(null, 0, 1000).stream().collect(Collectors.toMap(VendorGateway::id, VendorGateway::name, (a, b) -> a));

        name.setMaxLength(128);
        strategy.setLabel("Strategy");
        strategy.setItems(RoutingService.STRATEGIES);
        strategy.setHelperText("lcr: cheapest first; priority: rule order; weighted: split by weight; quality: best ASR × ACD");
        minMargin.setMaxLength(24);
        minMargin.setAllowedCharPattern("[0-9.]");
        minMargin.setPlaceholder("0.000000");
        minMarginPercent.setMaxLength(8);
        minMarginPercent.setAllowedCharPattern("[0-9.]");
        maxAttempts.setMin(1);
        maxAttempts.setMax(20);
        profileMessages.bind("name", name).bind("strategy", strategy).bind("minMargin", minMargin)
                .bind("minMarginPercent", minMarginPercent).bind("maxAttempts", maxAttempts);
        saveProfile.setId("routing-save-profile");
        saveProfile.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        saveProfile.addClickListener(click -> saveProfile());
        saveProfile.setVisible(mayChange);
        FormLayout form = new FormLayout(name, strategy, minMargin, minMarginPercent, maxAttempts, allowLoss);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("700px", 3));
        form.getChildren().forEach(field -> {
            if (field instanceof HasValue<?, ?> value) {
                value.setReadOnly(!mayChange);
            }
        });

        rules.setId("routing-rules");
        rules.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        rules.addColumn(r -> r.prefix().isEmpty() ? "(every number)" : r.prefix()).setHeader("Prefix").setAutoWidth(true);
        rules.addColumn(r -> vendorNames.name(r.vendorAccountId())).setHeader("Vendor").setAutoWidth(true);
        rules.addColumn(r -> r.vendorGatewayId() == null ? "all gateways" : gatewayNames.getOrDefault(r.vendorGatewayId(), "#" + r.vendorGatewayId()))
                .setHeader("Gateway").setAutoWidth(true);
        rules.addColumn(RuleView::priority).setHeader("Priority").setAutoWidth(true);
        rules.addColumn(RuleView::weight).setHeader("Weight").setAutoWidth(true);
        rules.addColumn(r -> r.rateCeiling() == null ? "" : r.rateCeiling()).setHeader("Rate ceiling").setAutoWidth(true);
        rules.addColumn(r -> r.enabled() ? "yes" : "no").setHeader("Enabled").setAutoWidth(true);
        if (mayChange) {
            rules.addComponentColumn(r -> {
                Button delete = new Button("Remove", click -> {
                    if (routing.deleteRule(profile.id(), r.id()) instanceof Outcome.NotFound<Long> missing) {
                        FieldMessages.error(missing.message());
                    }
                    showRules();
                });
                delete.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
                return delete;
            }).setAutoWidth(true).setFlexGrow(0);
        }
        rules.setAllRowsVisible(true);

        rulePrefix.setMaxLength(32);
        rulePrefix.setAllowedCharPattern("[0-9]");
        rulePrefix.setPlaceholder("empty = every number");
        AccountPicker.lazy(ruleVendor, gateways::vendorAccounts, gateways::countVendorAccounts);
        ruleVendor.setItemLabelGenerator(Account::name);
        ruleVendor.addValueChangeListener(change -> ruleGateway.setItems(change.getValue() == null ? List.of()
                : gateways.list(change.getValue().id(), 0, 1000)));
        ruleGateway.setItemLabelGenerator(VendorGateway::name);
        ruleGateway.setClearButtonVisible(true);
        ruleGateway.setPlaceholder("all gateways");
        for (IntegerField number : List.of(rulePriority, ruleWeight)) {
            number.setMin(0);
            number.setMax(1_000_000);
            number.setPlaceholder("100");
            number.setWidth("7em");
        }
        ruleCeiling.setMaxLength(24);
        ruleCeiling.setAllowedCharPattern("[0-9.]");
        ruleCeiling.setWidth("8em");
        ruleMessages.bind("prefix", rulePrefix).bind("vendorAccountId", ruleVendor).bind("vendorGatewayId", ruleGateway)
                .bind("priority", rulePriority).bind("weight", ruleWeight).bind("rateCeiling", ruleCeiling);
        Button add = new Button("Add vendor", click -> addRule());
        add.setId("routing-add-rule");
        addRule = new HorizontalLayout(rulePrefix, ruleVendor, ruleGateway, rulePriority, ruleWeight, ruleCeiling, add);
        addRule.setAlignItems(FlexComponent.Alignment.BASELINE);
        addRule.setVisible(mayChange);
        rulesSection = new VerticalLayout(new H3("Vendor list"), rules, addRule);
        rulesSection.setPadding(false);

        add(title, form, saveProfile, rulesSection);
        show(null);
    }

    void show(ProfileView selected) {
        profile = selected;
        profileMessages.clear();
        title.setText(selected == null ? (mayChange ? "New profile" : "Choose a profile") : "Profile " + selected.name());
        name.setValue(selected == null ? "" : selected.name());
        strategy.setValue(selected == null ? "lcr" : selected.strategy());
        minMargin.setValue(selected == null ? "" : selected.minMargin());
        minMarginPercent.setValue(selected == null ? "" : selected.minMarginPercent());
        allowLoss.setValue(selected != null && selected.allowLoss());
        maxAttempts.setValue(selected == null ? 5 : selected.maxAttempts());
        rulesSection.setVisible(selected != null);
        if (selected != null) {
            showRules();
        }
    }

    private void showRules() {
        switch (routing.rules(profile.id())) {
            case Outcome.Done<List<RuleView>>(var list, var replayed) -> rules.setItems(vendorNames.learn(list, RuleView::vendorAccountId));
            case Outcome.Invalid<List<RuleView>>(var fields) -> FieldMessages.error(String.join("; ", fields.values()));
            case Outcome.NotFound<List<RuleView>> missing -> FieldMessages.error(missing.message());
            case Outcome<List<RuleView>> other -> FieldMessages.error(other.message());
        }
    }

    private void saveProfile() {
        ProfileRequest request = new ProfileRequest(name.getValue(), strategy.getValue(), blankToNull(minMargin.getValue()),
                blankToNull(minMarginPercent.getValue()), allowLoss.getValue(), maxAttempts.getValue());
        Outcome<ProfileView> outcome = profile == null ? routing.createProfile(request) : routing.updateProfile(profile.id(), request);
        switch (outcome) {
            case Outcome.Done<ProfileView>(ProfileView done, var replayed) -> {
                FieldMessages.done("Profile " + done.name() + " saved");
                profile = done;
                changed.run();
            }
            case Outcome.Invalid<ProfileView>(var fields) -> profileMessages.show(fields);
            case Outcome.NotFound<ProfileView> missing -> FieldMessages.error(missing.message());
            case Outcome<ProfileView> other -> FieldMessages.error(other.message());
        }
    }

    private void addRule() {
        RuleRequest request = new RuleRequest(rulePrefix.getValue(), ruleVendor.getValue() == null ? null : ruleVendor.getValue().id(),
                ruleGateway.getValue() == null ? null : ruleGateway.getValue().id(), rulePriority.getValue(), ruleWeight.getValue(),
                blankToNull(ruleCeiling.getValue()), true);
        switch (routing.addRule(profile.id(), request)) {
            case Outcome.Done<RuleView> done -> {
                ruleMessages.clear();
                rulePrefix.clear();
                ruleCeiling.clear();
                showRules();
            }
            case Outcome.Invalid<RuleView>(var fields) -> ruleMessages.show(fields);
            case Outcome.NotFound<RuleView> missing -> FieldMessages.error(missing.message());
            case Outcome<RuleView> other -> FieldMessages.error(other.message());
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
