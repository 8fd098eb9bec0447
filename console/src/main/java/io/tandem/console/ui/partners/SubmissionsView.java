package io.tandem.console.ui.partners;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.partners.DeckSubmission;
import io.tandem.console.partners.DeckSubmissions;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.accounts.ViewCaller;
import io.tandem.console.ui.forms.AccountLabels;
import io.tandem.console.ui.forms.FieldMessages;
import jakarta.annotation.security.RolesAllowed;

/**
 * Vendors' deck submissions waiting for review: approve (increases sooner than the notice period need the
 * override, which is audited) or reject with a reason the vendor sees.
 */
@Route("deck-submissions")
@PageTitle("Deck submissions · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE})
public class SubmissionsView extends VerticalLayout {

    final Grid<DeckSubmission> pending = new Grid<>(DeckSubmission.class, false);
    final Checkbox override = new Checkbox("Override: let increases inside the notice period through");
    final TextField reason = new TextField("Reason (the vendor sees it)");
    final Button approve = new Button("Approve");
    final Button reject = new Button("Reject");

    private final DeckSubmissions submissions;
    private final AccountLabels accountNames;

    public SubmissionsView(DeckSubmissions submissions, AccountService accounts) {
        this.submissions = submissions;
        this.accountNames = new AccountLabels(accounts::names);
        pending.setId("submissions-pending");
        pending.addThemeVariants(GridVariant.LUMO_COMPACT);
        pending.addColumn(DeckSubmission::id).setHeader("#").setAutoWidth(true);
        pending.addColumn(s -> accountNames.name(s.accountId())).setHeader("Account").setAutoWidth(true);
        pending.addColumn(DeckSubmission::deckId).setHeader("Deck").setAutoWidth(true);
        pending.addColumn(DeckSubmission::submittedBy).setHeader("By").setAutoWidth(true);
        pending.addColumn(s -> s.submittedAt().toString()).setHeader("Uploaded (UTC)").setAutoWidth(true);
        pending.addColumn(s -> s.earlyIncreases() == 0 ? "" : s.earlyIncreases() + " early increase(s)").setHeader("Flag").setAutoWidth(true);
        pending.setEmptyStateText("Nothing waits for review.");
        reason.setId("submissions-reason");
        reason.setMaxLength(DeckSubmissions.MAX_REASON);
        reason.setWidth("30em");
        override.setId("submissions-override");
        approve.setId("submissions-approve");
        reject.setId("submissions-reject");
        approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        reject.addThemeVariants(ButtonVariant.LUMO_ERROR);
        approve.addClickListener(click -> decide(true));
        reject.addClickListener(click -> decide(false));
        HorizontalLayout actions = new HorizontalLayout(reason, override, approve, reject);
        actions.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(new H2("Deck submissions"), pending, actions);
        refresh();
    }

    private void decide(boolean approving) {
        DeckSubmission chosen = pending.asSingleSelect().getValue();
        if (chosen == null) {
            FieldMessages.error("Select a submission first");
            return;
        }
        Outcome<DeckSubmission> outcome = approving
                ? submissions.approve(ViewCaller.current(), chosen.id(), override.getValue(), reason.getValue())
                : submissions.reject(ViewCaller.current(), chosen.id(), reason.getValue());
        if (outcome instanceof Outcome.Done<DeckSubmission> done) {
            FieldMessages.done("Submission " + done.value().id() + " " + done.value().status().code());
            reason.clear();
            override.clear();
            refresh();
        } else {
            FieldMessages.error(outcome.message());
        }
    }

    private void refresh() {
        pending.setItems(accountNames.learn(submissions.list(ViewCaller.current(), null, DeckSubmission.Status.PENDING, 0, 500),
                DeckSubmission::accountId));
    }
}
