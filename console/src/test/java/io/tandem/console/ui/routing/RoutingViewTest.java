package io.tandem.console.ui.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import io.tandem.billing.account.Account;
import io.tandem.console.service.Outcome;
import io.tandem.console.routing.ProfileView;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.routing.RuleView;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RoutingViewTest extends OpsViewFixture {

    @Autowired
    RoutingService routing;

    @Test
    void anOperatorCreatesAProfileAndGivesItAVendor() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        RoutingView view = navigate(RoutingView.class);
        test($(Button.class).id("routing-new-profile")).click();
        ProfilePanel panel = view.panel;
        test(panel.name).setValue("Gold");
        test(panel.strategy).selectItem("priority");
        test(panel.minMargin).setValue("0.002");
        test(panel.saveProfile).click();

        ProfileView gold = routing.profiles(0, 1000).stream().filter(p -> p.name().equals("Gold")).findFirst().orElseThrow();
        assertThat(gold.strategy()).isEqualTo("priority");
        assertThat(gold.minMargin()).isEqualTo("0.002000");

        test(view.profiles).select(view.profiles.getListDataView().getItems().toList().indexOf(gold));
        assertThat(panel.addRule.isVisible()).isTrue();
        Account vendor = test(panel.ruleVendor).getSuggestionItems().getFirst();
        test(panel.ruleVendor).selectItem(vendor.name());
        test(panel.rulePrefix).setValue("49");
        test($(Button.class).id("routing-add-rule")).click();

        List<RuleView> rules = ((Outcome.Done<List<RuleView>>) routing.rules(gold.id())).value();
        assertThat(rules).extracting(RuleView::prefix, RuleView::vendorAccountId).containsExactly(org.assertj.core.groups.Tuple.tuple("49", vendor.id()));
    }

    @Test
    void aBadMarginIsShownOnItsField() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        RoutingView view = navigate(RoutingView.class);
        test($(Button.class).id("routing-new-profile")).click();
        test(view.panel.name).setValue("Bad margin");
        test(view.panel.minMarginPercent).setValue("150");
        test(view.panel.saveProfile).click();
        assertThat(view.panel.minMarginPercent.isInvalid()).isTrue();
        assertThat(view.panel.minMarginPercent.getErrorMessage()).isEqualTo("between 0 and 100");
    }

    @Test
    void aViewerSeesProfilesWithoutEditing() {
        signedInAs("vera", ConsoleRole.VIEWER);
        RoutingView view = navigate(RoutingView.class);
        assertThat($(Button.class).withId("routing-new-profile").exists()).isFalse();
        assertThat(view.panel.saveProfile.isVisible()).isFalse();
        assertThat(view.panel.name.isReadOnly()).isTrue();
    }
}
