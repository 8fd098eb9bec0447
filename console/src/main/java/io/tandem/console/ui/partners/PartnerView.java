package io.tandem.console.ui.partners;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.UploadHandler;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.console.decks.UploadOptions;
import io.tandem.console.notices.RateNotice;
import io.tandem.console.partners.DeckSubmission;
import io.tandem.console.partners.DeckSubmissions;
import io.tandem.console.partners.PartnerCaller;
import io.tandem.console.partners.PartnerPortal;
import io.tandem.console.partners.PartnerScope;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.deck.RateDeck;
import jakarta.annotation.security.RolesAllowed;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * A partner's own page: its account and balance, its rate decks (in force now and scheduled changes as CSV), its
 * rate-change notices (CSV), for a customer its invoices and credit notes (PDF, CSV), and for a vendor the upload of its buy deck with the diff and the submission, and its
 * submissions with the operator's reasons. Everything through the same services as the partner API, scoped to the
 * signed-in partner's account.
 */
@Route("partner")
@PageTitle("My account · Tandem")
@RolesAllowed(ConsoleRole.PARTNER)
public class PartnerView extends VerticalLayout {

    final Span balance = new Span();
    final Grid<RateDeck> decks = new Grid<>(RateDeck.class, false);
    final Grid<RateNotice> notices = new Grid<>(RateNotice.class, false);
    final Grid<Invoice> invoices = new Grid<>(Invoice.class, false);
    final Grid<DeckSubmission> submissions = new Grid<>(DeckSubmission.class, false);
    final Select<RateDeck> buyDeck = new Select<>();
    final Upload upload = new Upload();
    final Span previewLine = new Span();
    final Button submit = new Button("Submit");

    private final PartnerScope scope;
    private final PartnerPortal portal;
    private final DeckSubmissions deckSubmissions;
    private DeckSubmission uploaded;

    public PartnerView(PartnerScope scope, PartnerPortal portal, DeckSubmissions deckSubmissions) {
        this.scope = scope;
        this.portal = portal;
        this.deckSubmissions = deckSubmissions;
        Optional<PartnerCaller> partner = partner();
        if (partner.isEmpty()) {
            add(new H2("This user is not bound to an account"));
            return;
        }
        PartnerCaller me = partner.get();
        Outcome<Account> account = portal.account(me);
        if (!(account instanceof Outcome.Done<Account> done)) {
            add(new H2(account.message()));
            return;
        }
        Account a = done.value();
        balance.setId("partner-balance");
        balance.setText("Balance " + Money.format(a.balance()) + " " + a.currency() + " · available " + Money.format(a.available()) + " "
                + a.currency());
        add(new H2(a.name()), balance);

        decks.setId("partner-decks");
        decks.addThemeVariants(GridVariant.LUMO_COMPACT);
        decks.setAllRowsVisible(true);
        decks.addColumn(RateDeck::name).setHeader("Rate deck").setAutoWidth(true);
        decks.addColumn(d -> d.direction().code()).setHeader("Direction").setAutoWidth(true);
        decks.addColumn(RateDeck::currency).setHeader("Currency").setAutoWidth(true);
        decks.addColumn(RateDeck::noticeDays).setHeader("Notice days").setAutoWidth(true);
        decks.addComponentColumn(d -> new HorizontalLayout(download("Rates (CSV)", "deck-" + d.id() + ".csv",
                        deckCsv(me, d.id(), PartnerPortal.DeckView.CURRENT)),
                download("Pending changes (CSV)", "deck-" + d.id() + "-pending.csv", deckCsv(me, d.id(), PartnerPortal.DeckView.PENDING))))
                .setHeader("Download").setAutoWidth(true);
        List<RateDeck> own = portal.decks(me);
        decks.setItems(own);
        add(new H3("Rate decks"), decks);

        notices.setId("partner-notices");
        notices.addThemeVariants(GridVariant.LUMO_COMPACT);
        notices.setAllRowsVisible(true);
        notices.addColumn(n -> n.createdAt().toString()).setHeader("Sent (UTC)").setAutoWidth(true);
        notices.addColumn(n -> n.firstEffective().toString()).setHeader("First change (UTC)").setAutoWidth(true);
        notices.addColumn(n -> n.increased() + " up, " + n.decreased() + " down, " + n.added() + " new, " + n.closed() + " closed")
                .setHeader("Changes").setAutoWidth(true);
        notices.addComponentColumn(n -> download("CSV", "rate-notice-" + n.id() + ".csv", event -> {
            event.setFileName("rate-notice-" + n.id() + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            portal.writeNoticeCsv(me, n.id(), writer);
            writer.flush();
        })).setHeader("Lines");
        notices.setItems(portal.notices(me, 0, 200));
        notices.setEmptyStateText("No rate-change notices.");
        add(new H3("Rate-change notices"), notices);

        if (a.kind() != AccountKind.VENDOR) {
            addInvoices(me);
        }

        List<RateDeck> buyDecks = own.stream().filter(d -> d.direction() == DeckDirection.BUY).toList();
        if (!buyDecks.isEmpty()) {
            addSubmissions(me, buyDecks);
        }
    }

    private void addInvoices(PartnerCaller me) {
        invoices.setId("partner-invoices");
        invoices.addThemeVariants(GridVariant.LUMO_COMPACT);
        invoices.setAllRowsVisible(true);
        invoices.addColumn(Invoice::documentNumber).setHeader("Number").setAutoWidth(true);
        invoices.addColumn(i -> i.kind().code().replace('_', ' ')).setHeader("Kind").setAutoWidth(true);
        invoices.addColumn(i -> i.period().label()).setHeader("Period").setAutoWidth(true);
        invoices.addColumn(i -> INVOICE_DAY.format(i.issuedAt())).setHeader("Issued").setAutoWidth(true);
        invoices.addColumn(i -> Money.format(i.totalDue()) + " " + i.currency()).setHeader("Total").setAutoWidth(true);
        invoices.addComponentColumn(i -> new HorizontalLayout(
                download("PDF", i.documentNumber() + ".pdf", event -> {
                    event.setFileName(i.documentNumber() + ".pdf");
                    event.setContentType("application/pdf");
                    if (portal.invoice(me, i.id()) instanceof Outcome.Done<Invoice> own) {
                        portal.writeInvoicePdf(own.value(), event.getOutputStream());
                    }
                }),
                download("CSV", i.documentNumber() + ".csv", event -> {
                    event.setFileName(i.documentNumber() + ".csv");
                    event.setContentType("text/csv; charset=UTF-8");
                    if (portal.invoice(me, i.id()) instanceof Outcome.Done<Invoice> own) {
                        Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
                        portal.writeInvoiceCsv(own.value(), writer);
                        writer.flush();
                    }
                }))).setHeader("Download").setAutoWidth(true);
        invoices.setItems(portal.invoices(me, 0, 200));
        invoices.setEmptyStateText("No invoices yet.");
        add(new H3("Invoices and credit notes"), invoices);
    }

    private static final java.time.format.DateTimeFormatter INVOICE_DAY =
            java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.withZone(java.time.ZoneOffset.UTC);

    private void addSubmissions(PartnerCaller me, List<RateDeck> buyDecks) {
        buyDeck.setId("partner-buy-deck");
        buyDeck.setLabel("Buy deck");
        buyDeck.setItemLabelGenerator(RateDeck::name);
        buyDeck.setItems(buyDecks);
        buyDeck.setValue(buyDecks.getFirst());
        upload.setId("partner-upload");
        upload.setMaxFiles(1);
        upload.setAcceptedFileTypes(".csv", ".txt", ".gz", ".zip", "text/csv", "application/gzip", "application/zip");
        UI ui = UI.getCurrent();
        upload.setUploadHandler(UploadHandler.toTempFile((metadata, file) -> ui.access(() -> {
            try (InputStream in = Files.newInputStream(file.toPath())) {
                showUpload(deckSubmissions.upload(me, buyDeck.getValue().id(), metadata.fileName(), in,
                        UploadOptions.preset("generic", "update", null, false)));
            } catch (java.io.IOException e) {
                FieldMessages.error("Reading " + metadata.fileName() + " failed: " + e.getMessage());
            } finally {
                upload.clearFileList();
                file.delete();
            }
        })));
        previewLine.setId("partner-preview");
        submit.setId("partner-submit");
        submit.setEnabled(false);
        submit.addClickListener(click -> {
            Outcome<DeckSubmission> outcome = deckSubmissions.submit(me, uploaded.id());
            if (outcome instanceof Outcome.Done<DeckSubmission> done) {
                FieldMessages.done("Submission " + done.value().id() + " is " + done.value().status().code()
                        + (done.value().reason().isEmpty() ? "" : ": " + done.value().reason()));
            } else {
                FieldMessages.error(outcome.message());
            }
            submit.setEnabled(false);
            submissions.setItems(deckSubmissions.mine(me, 0, 200));
        });
        submissions.setId("partner-submissions");
        submissions.addThemeVariants(GridVariant.LUMO_COMPACT);
        submissions.setAllRowsVisible(true);
        submissions.addColumn(DeckSubmission::id).setHeader("#").setAutoWidth(true);
        submissions.addColumn(s -> s.submittedAt().toString()).setHeader("Uploaded (UTC)").setAutoWidth(true);
        submissions.addColumn(s -> s.status().code()).setHeader("Status").setAutoWidth(true);
        submissions.addColumn(DeckSubmission::earlyIncreases).setHeader("Early increases").setAutoWidth(true);
        submissions.addColumn(DeckSubmission::reason).setHeader("Reason").setFlexGrow(1);
        submissions.setItems(deckSubmissions.mine(me, 0, 200));
        add(new H3("Submit a buy deck"), buyDeck, upload, previewLine, submit, submissions);
    }

    private void showUpload(Outcome<DeckSubmissions.Uploaded> outcome) {
        switch (outcome) {
            case Outcome.Done<DeckSubmissions.Uploaded> done -> {
                uploaded = done.value().submission();
                var i = done.value().preview().deckImport();
                previewLine.setText(i.rowCount() + " rows: " + i.newCount() + " new, " + i.increasedCount() + " increased, "
                        + i.decreasedCount() + " decreased, " + i.unchangedCount() + " unchanged, " + i.closedCount() + " closed; "
                        + uploaded.earlyIncreases() + " increase(s) sooner than the notice period");
                submit.setEnabled(true);
            }
            case Outcome.Invalid<DeckSubmissions.Uploaded> invalid -> {
                previewLine.setText("Refused: " + String.join("; ", invalid.fields().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).toList()));
                submit.setEnabled(false);
            }
            default -> FieldMessages.error(outcome.message());
        }
    }

    private DownloadHandler deckCsv(PartnerCaller me, long deckId, PartnerPortal.DeckView view) {
        return event -> {
            event.setFileName("deck-" + deckId + (view == PartnerPortal.DeckView.PENDING ? "-pending" : "") + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            portal.writeDeckCsv(me, deckId, view, writer);
            writer.flush();
        };
    }

    private static Anchor download(String text, String name, DownloadHandler handler) {
        Anchor anchor = new Anchor(handler, text);
        anchor.setTarget(AnchorTarget.BLANK);
        anchor.getElement().setAttribute("download", name);
        return anchor;
    }

    private Optional<PartnerCaller> partner() {
        VaadinRequest request = VaadinRequest.getCurrent();
        return scope.current(request == null ? "" : request.getRemoteAddr());
    }
}
