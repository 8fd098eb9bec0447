package io.tandem.console.ui.decks;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.node.TandemProperties;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.AccountLabels;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.console.ui.accounts.ViewCaller;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.RateDeck;
import jakarta.annotation.security.RolesAllowed;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

/**
 * Rate decks: the list; for the selected deck its rates (prefix search), a CSV upload that shows what it would
 * change before it changes anything, the upload history and a CSV download. Reading a file and committing it
 * run on the service's executor; the result comes back through {@link UI#access}.
 */
@Route("decks")
@PageTitle("Rate decks · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE, ConsoleRole.VIEWER})
public class DecksView extends VerticalLayout {

    private static final Logger LOG = LoggerFactory.getLogger(DecksView.class);

    final Grid<RateDeck> decksGrid = new Grid<>();
    final H3 title = new H3("Select a deck");
    final RatesBrowser rates;
    final DeckUploadForm uploadForm = new DeckUploadForm();
    final Upload upload = new Upload();
    final ProgressBar reading = new ProgressBar();
    final VerticalLayout previewArea = new VerticalLayout();
    final Grid<DeckImport> history = new Grid<>();
    final Anchor download = new Anchor();
    private final RateDeckService decks;
    private final boolean mayChange;
    private final AccountLabels accountNames;
    private UI ui;
    private RateDeck deck;
    ImportPreviewPanel preview;

    public DecksView(RateDeckService decks, AccountService accounts, AuthenticationContext authentication, TandemProperties properties) {
        this.decks = decks;
        this.mayChange = authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE);
        this.accountNames = new AccountLabels(accounts::names);
        setSizeFull();

        decksGrid.setId("decks-grid");
        decksGrid.setHeightFull();
        decksGrid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        decksGrid.addColumn(RateDeck::name).setHeader("Deck").setFlexGrow(2);
        decksGrid.addColumn(d -> accountNames.name(d.accountId())).setHeader("Account").setFlexGrow(2);
        decksGrid.addColumn(d -> d.direction().code()).setHeader("Sells / buys").setAutoWidth(true);
        decksGrid.addColumn(RateDeck::currency).setHeader("Currency").setAutoWidth(true);
        decksGrid.addColumn(RateDeck::noticeDays).setHeader("Notice days").setAutoWidth(true);
        decksGrid.addColumn(RateDeck::deckVersion).setHeader("Version").setAutoWidth(true);
        decksGrid.setItems(accountNames.learn(decks.list(null, 0, 1000), RateDeck::accountId));
        decksGrid.asSingleSelect().addValueChangeListener(change -> show(change.getValue()));

        rates = new RatesBrowser(decks);

        upload.setId("deck-upload");
        upload.setMaxFiles(1);
        upload.setMaxFileSize((int) Math.min(Integer.MAX_VALUE, properties.decks().limits().maxUploadBytes()));
        upload.setAcceptedFileTypes(".csv", ".txt", ".gz", ".zip", "text/csv", "application/gzip", "application/zip");
        upload.setUploadHandler(UploadHandler.toTempFile((metadata, file) -> {
            // the upload's own request thread: the signed-in user is known here, the view's state is read under the lock
            Caller caller = ViewCaller.current();
            ui.access(() -> startPreview(caller, metadata.fileName(), file));
        }));
        upload.addFileRejectedListener(rejected -> FieldMessages.error(rejected.getErrorMessage()));
        reading.setIndeterminate(true);
        reading.setVisible(false);
        previewArea.setPadding(false);
        VerticalLayout uploadTab = new VerticalLayout(uploadForm, upload, reading, previewArea);
        uploadTab.setPadding(false);
        uploadTab.setVisible(mayChange);

        history.setId("deck-history");
        history.addThemeVariants(GridVariant.LUMO_COMPACT);
        history.addColumn(i -> RatesBrowser.TIME.format(i.uploadedAt())).setHeader("Uploaded (UTC)").setAutoWidth(true);
        history.addColumn(DeckImport::fileName).setHeader("File").setFlexGrow(1);
        history.addColumn(i -> i.status().code()).setHeader("Status").setAutoWidth(true);
        history.addColumn(DeckImport::rowCount).setHeader("Rows").setAutoWidth(true);
        history.addColumn(i -> "+" + i.newCount() + " ↑" + i.increasedCount() + " ↓" + i.decreasedCount() + " ×" + i.closedCount())
                .setHeader("New ↑ ↓ closed").setAutoWidth(true);
        history.addColumn(DeckImport::errorCount).setHeader("Errors").setAutoWidth(true);
        history.addColumn(DeckImport::uploadedBy).setHeader("By").setAutoWidth(true);

        TabSheet tabs = new TabSheet();
        tabs.setId("deck-tabs");
        tabs.add("Rates", rates);
        if (mayChange) {
            tabs.add("Upload", uploadTab);
        }
        tabs.add("History", history);
        tabs.setSizeFull();

        download.setText("Download CSV");
        download.setId("deck-download");
        download.setVisible(false);
        HorizontalLayout heading = new HorizontalLayout(title, download);
        heading.setAlignItems(Alignment.BASELINE);
        VerticalLayout detail = new VerticalLayout(heading, tabs);
        detail.setSizeFull();
        detail.expand(tabs);

        SplitLayout split = new SplitLayout(decksGrid, detail);
        split.setOrientation(SplitLayout.Orientation.VERTICAL);
        split.setSplitterPosition(25);
        split.setSizeFull();
        add(new H2("Rate decks"), split);
        expand(split);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        ui = attachEvent.getUI();
    }

    void show(RateDeck shown) {
        this.deck = shown;
        previewArea.removeAll();
        preview = null;
        title.setText(shown == null ? "Select a deck" : shown.name() + " · " + shown.direction().code() + " · " + shown.currency());
        rates.show(shown);
        download.setVisible(shown != null);
        if (shown == null) {
            history.setItems(List.of());
            return;
        }
        long deckId = shown.id();
        history.setItems(decks.history(deckId, 0, 200).orElse(List.of()));
        download.setHref(csv(deckId), AttachmentType.DOWNLOAD);
    }

    private DownloadHandler csv(long deckId) {
        return event -> {
            event.setFileName("rate-deck-" + deckId + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            decks.writeCsv(deckId, writer);
            writer.flush();
        };
    }

    /** Under the UI lock: reads the form and hands the file to the service's executor. */
    void startPreview(Caller caller, String fileName, java.io.File file) {
        if (deck == null) {
            FieldMessages.error("Select a deck before uploading");
            return;
        }
        long deckId = deck.id();
        String currency = deck.currency();
        uploadForm.messages.clear();
        previewArea.removeAll();
        reading.setVisible(true);
        CompletableFuture<Outcome<ImportPreview>> result;
        try {
            result = decks.previewInBackground(caller, deckId, fileName, file.toPath(), uploadForm.options());
        } catch (AccessDeniedException refused) {
            reading.setVisible(false);
            FieldMessages.error(refused.getMessage());
            return;
        }
        result.whenComplete((outcome, failure) -> ui.access(() -> {
            reading.setVisible(false);
            upload.clearFileList();
            if (failure != null) {
                LOG.error("Reading the upload {} of deck {} failed", fileName, deckId, failure);
                FieldMessages.error("Reading " + fileName + " failed: " + failure.getMessage());
                return;
            }
            showPreview(deckId, currency, outcome, caller);
        }));
    }

    private void showPreview(long deckId, String currency, Outcome<ImportPreview> outcome, Caller caller) {
        switch (outcome) {
            case Outcome.Done<ImportPreview> done -> {
                preview = new ImportPreviewPanel(done.value(), currency, mayChange, new ImportPreviewPanel.Actions() {
                    @Override
                    public void commit(long importId, boolean acceptEarlyIncreases) {
                        DecksView.this.commit(deckId, importId, acceptEarlyIncreases);
                    }

                    @Override
                    public void discard(long importId) {
                        DecksView.this.discard(deckId, importId);
                    }
                });
                previewArea.add(preview);
                preview.scrollIntoView();
                history.setItems(decks.history(deckId, 0, 200).orElse(List.of()));
            }
            case Outcome.Invalid<ImportPreview> invalid -> uploadForm.messages.show(invalid.fields());
            default -> FieldMessages.error(outcome.message());
        }
    }

    private void commit(long deckId, long importId, boolean acceptEarlyIncreases) {
        Caller caller = ViewCaller.current();
        reading.setVisible(true);
        decks.commitInBackground(caller, deckId, importId, acceptEarlyIncreases).whenComplete((outcome, failure) -> ui.access(() -> {
            reading.setVisible(false);
            if (failure != null) {
                LOG.error("Committing import {} of deck {} failed", importId, deckId, failure);
                FieldMessages.error("Commit failed: " + failure.getMessage());
                preview.enableButtons();
                return;
            }
            finished(outcome, deckId, committed -> "Committed " + committed.fileName() + ": routing reloads on every node");
        }));
    }

    private void discard(long deckId, long importId) {
        Outcome<DeckImport> outcome;
        try {
            outcome = decks.discard(ViewCaller.current(), deckId, importId);
        } catch (AccessDeniedException refused) {
            FieldMessages.error(refused.getMessage());
            return;
        }
        finished(outcome, deckId, discarded -> "Discarded " + discarded.fileName() + "; the deck is unchanged");
    }

    private void finished(Outcome<DeckImport> outcome, long deckId, Function<DeckImport, String> message) {
        if (outcome instanceof Outcome.Done<DeckImport> done) {
            FieldMessages.done(message.apply(done.value()));
            previewArea.removeAll();
            preview = null;
            List<RateDeck> all = accountNames.learn(decks.list(null, 0, 1000), RateDeck::accountId);
            decksGrid.setItems(all);
            all.stream().filter(d -> d.id() == deckId).findFirst().ifPresent(decksGrid::select);
            return;
        }
        if (outcome instanceof Outcome.Conflict<DeckImport> conflict && !conflict.fields().isEmpty()) {
            previewArea.add(new Paragraph(conflict.message()));
        }
        FieldMessages.error(outcome.message());
        if (preview != null) {
            preview.enableButtons();
        }
    }
}
