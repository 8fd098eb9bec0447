package io.tandem.console.ui.gateways;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.billing.account.Account;
import io.tandem.console.ui.forms.AccountPicker;
import io.tandem.console.service.Outcome;
import io.tandem.console.gateways.GatewayRequest;
import io.tandem.console.gateways.GatewayService;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.provisioning.VendorGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Creates or edits one vendor gateway. */
class GatewayEditor extends Dialog {

    private final GatewayService gateways;
    private final VendorGateway gateway;
    private final Runnable saved;
    private final FieldMessages messages = new FieldMessages();

    final ComboBox<Account> account = new ComboBox<>("Vendor");
    final TextField name = new TextField("Name");
    final TextField host = new TextField("Address or DNS name");
    final IntegerField port = new IntegerField("Port");
    final Select<String> transport = new Select<>();
    final Select<String> dnsLookup = new Select<>();
    final TextField techPrefix = new TextField("Tech prefix");
    final IntegerField priority = new IntegerField("Priority");
    final IntegerField weight = new IntegerField("Weight");
    final IntegerField maxCps = new IntegerField("Max CPS");
    final IntegerField maxCalls = new IntegerField("Max concurrent calls");
    final TextField failoverCodes = new TextField("Failover on SIP codes");
    final Select<String> mediaMode = new Select<>();
    final Checkbox enabled = new Checkbox("Enabled", true);
    final IntegerField registeredTrunk = new IntegerField("Registered contact of trunk (id)");

    GatewayEditor(GatewayService gateways, boolean mayChange, VendorGateway gateway, Runnable saved) {
        this.gateways = gateways;
        this.gateway = gateway;
        this.saved = saved;
        setHeaderTitle(gateway == null ? "New vendor gateway" : "Gateway " + gateway.name());
        setWidth("min(900px, 95vw)");

        AccountPicker.lazy(account, gateways::vendorAccounts, gateways::countVendorAccounts);
        account.setItemLabelGenerator(a -> a.name() + " (#" + a.id() + ")");
        account.setRequired(true);
        name.setMaxLength(128);
        name.setRequired(true);
        host.setMaxLength(255);
        host.setRequired(true);
        host.setPlaceholder("203.0.113.5 or sip.vendor.example");
        port.setMin(1);
        port.setMax(65535);
        port.setHelperText("empty = 5060, or 5061 for TLS");
        transport.setLabel("Transport");
        transport.setItems("udp", "tcp", "tls");
        transport.setValue("udp");
        dnsLookup.setLabel("DNS lookup");
        dnsLookup.setItems("address", "srv", "naptr");
        dnsLookup.setValue("address");
        mediaMode.setLabel("Media");
        mediaMode.setItems("bypass", "auto", "relay");
        mediaMode.setValue("bypass");
        mediaMode.setHelperText("bypass = as the trunk says; relay or auto anchors this gateway's calls");
        techPrefix.setMaxLength(16);
        techPrefix.setAllowedCharPattern("[0-9#*]");
        for (IntegerField number : List.of(priority, weight)) {
            number.setMin(0);
            number.setMax(1_000_000);
            number.setHelperText("empty = 100");
        }
        for (IntegerField limit : List.of(maxCps, maxCalls)) {
            limit.setMin(1);
            limit.setMax(1_000_000);
            limit.setHelperText("empty = no limit");
            limit.setClearButtonVisible(true);
        }
        registeredTrunk.setMin(1);
        registeredTrunk.setClearButtonVisible(true);
        registeredTrunk.setHelperText("empty = the address above; a trunk id of this account (kind both): calls go to where it registered from");
        failoverCodes.setMaxLength(200);
        failoverCodes.setAllowedCharPattern("[0-9 ,]");
        failoverCodes.setHelperText("space separated, e.g. 408 480 500 503; empty = the default codes");

        messages.bind("accountId", account).bind("name", name).bind("host", host).bind("port", port).bind("transport", transport)
                .bind("dnsLookup", dnsLookup).bind("techPrefix", techPrefix).bind("priority", priority).bind("weight", weight)
                .bind("maxCps", maxCps).bind("maxConcurrentCalls", maxCalls).bind("failoverCodes", failoverCodes)
                .bind("registeredTrunkId", registeredTrunk).bind("mediaMode", mediaMode);

        if (gateway != null) {
            gateways.account(gateway.accountId()).ifPresent(account::setValue);
            name.setValue(gateway.name());
            host.setValue(gateway.host());
            port.setValue(gateway.port());
            transport.setValue(gateway.transport().code());
            dnsLookup.setValue(gateway.dnsLookup().code());
            techPrefix.setValue(gateway.techPrefix() == null ? "" : gateway.techPrefix());
            priority.setValue(gateway.priority());
            weight.setValue(gateway.weight());
            maxCps.setValue(gateway.maxCps());
            maxCalls.setValue(gateway.maxConcurrentCalls());
            failoverCodes.setValue(gateway.failoverCodes().stream().map(String::valueOf).collect(Collectors.joining(" ")));
            mediaMode.setValue(gateway.mediaMode().code());
            enabled.setValue(gateway.enabled());
            registeredTrunk.setValue(gateway.registeredTrunkId() == null ? null : Math.toIntExact(gateway.registeredTrunkId()));
        }
        FormLayout form = new FormLayout(account, name, host, port, transport, dnsLookup, techPrefix, priority, weight, maxCps, maxCalls,
                failoverCodes, registeredTrunk, mediaMode, enabled);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("600px", 3));
        form.getChildren().forEach(field -> {
            if (field instanceof HasValue<?, ?> value) {
                value.setReadOnly(!mayChange);
            }
        });
        add(form);

        getFooter().add(new Button("Close", click -> close()));
        if (mayChange) {
            if (gateway != null) {
                Button toggle = new Button(gateway.enabled() ? "Disable" : "Enable", click -> outcome(gateways.setEnabled(gateway.id(), !gateway.enabled())));
                toggle.addThemeVariants(gateway.enabled() ? ButtonVariant.LUMO_ERROR : ButtonVariant.LUMO_SUCCESS);
                getFooter().add(toggle);
            }
            Button save = new Button("Save", click -> outcome(gateway == null ? gateways.create(request()) : gateways.update(gateway.id(), request())));
            save.setId("gateway-save");
            save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            getFooter().add(save);
        }
    }

    private void outcome(Outcome<VendorGateway> outcome) {
        switch (outcome) {
            case Outcome.Done<VendorGateway>(VendorGateway done, var replayed) -> {
                FieldMessages.done("Gateway " + done.name() + " saved" + (done.enabled() ? "" : " (disabled)"));
                saved.run();
                close();
            }
            case Outcome.Invalid<VendorGateway>(var fields) -> messages.show(fields);
            case Outcome.NotFound<VendorGateway> missing -> FieldMessages.error(missing.message());
            case Outcome<VendorGateway> other -> FieldMessages.error(other.message());
        }
    }

    GatewayRequest request() {
        return new GatewayRequest(account.getValue() == null ? null : account.getValue().id(), name.getValue(), host.getValue().strip(),
                port.getValue(), transport.getValue(), techPrefix.getValue().isBlank() ? null : techPrefix.getValue().strip(), priority.getValue(),
                weight.getValue(), maxCps.getValue(), maxCalls.getValue(), codes(failoverCodes.getValue()), enabled.getValue(), dnsLookup.getValue(),
                registeredTrunk.getValue() == null ? null : registeredTrunk.getValue().longValue(),
                mediaMode.getValue());
    }

    /** Null (the defaults) when empty. The field only admits digits, spaces and commas, at most 200 characters. */
    static List<Integer> codes(String text) {
        List<Integer> codes = new ArrayList<>();
        for (String code : text.split("[ ,]+")) {
            if (!code.isEmpty()) {
                codes.add(code.length() > 3 ? 0 : Integer.parseInt(code));
            }
        }
        return codes.isEmpty() ? null : codes;
    }
}
