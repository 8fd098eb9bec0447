package io.tandem.console.ui.capture;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.capture.CallCaptures;
import io.tandem.console.capture.CaptureView;
import io.tandem.console.ui.ConsoleRole;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call's SIP ladder ({@code calls/{id}/ladder}, optionally {@code ?node=} the node carrying it):
 * the diagram, then every message, numbered as in the diagram, opening to its full text. Admins and
 * operators only: signalling shows numbers, addresses and digest answers.
 */
@Route("calls/:callId/ladder")
@PageTitle("SIP ladder · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR})
public class LadderView extends VerticalLayout implements BeforeEnterObserver {

    /** Who may open a ladder: the links in the CDR and active-calls views show for them only. */
    public static final List<String> ROLES = List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR);

    private final CallCaptures captures;
    final Span summary = new Span();
    final Div diagram = new Div();
    final VerticalLayout messages = new VerticalLayout();

    public LadderView(CallCaptures captures) {
        this.captures = captures;
        setWidthFull();
        summary.setId("ladder-summary");
        summary.addClassName("tandem-muted");
        diagram.setId("ladder-diagram");
        diagram.getStyle().set("overflow-x", "auto").set("max-width", "100%");
        messages.setId("ladder-messages");
        messages.setPadding(false);
        messages.setSpacing(false);
        add(new H2("SIP ladder"), summary, diagram, messages);
    }

    public static String path(UUID callId, String node) {
        return "calls/" + callId + "/ladder" + (node == null ? "" : "?node=" + java.net.URLEncoder.encode(node, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String raw = event.getRouteParameters().get("callId").orElse("");
        UUID id;
        try {
            id = UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            summary.setText("'" + (raw.length() > 64 ? raw.substring(0, 64) + "…" : raw) + "' is not a call id.");
            return;
        }
        String node = event.getLocation().getQueryParameters().getSingleParameter("node").filter(n -> n.length() <= 128).orElse(null);
        Optional<CaptureView> view;
        try {
            view = captures.find(id, node).get(5, TimeUnit.SECONDS).map(CaptureView::of);
        } catch (TimeoutException e) {
            summary.setText("The capture of call " + id + " could not be read in time from its capture node " + captures.ownerOf(id) + ".");
            return;
        } catch (ExecutionException e) {
            summary.setText("The capture of call " + id + " could not be read: " + e.getCause().getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        view.ifPresentOrElse(this::show, () -> summary.setText("No capture of call " + id + " (capture node " + captures.ownerOf(id)
                + "): capture is off, the call is older than the retention, or there is no such call."));
    }

    void show(CaptureView view) {
        summary.setText("Call " + view.callId() + " · " + view.messages().size() + " messages"
                + (view.dropped() > 0 ? " · " + view.dropped() + " earlier messages dropped by the capture caps" : "")
                + (view.live() ? " · in progress" : ""));
        diagram.removeAll();
        // wrapped in a div: the browser parses the SVG from markup, in the SVG namespace
        diagram.add(new Html("<div>" + LadderDiagram.svg(view) + "</div>"));
        messages.removeAll();
        for (CaptureView.Message m : view.messages()) {
            Pre text = new Pre(m.text());
            text.getStyle().set("white-space", "pre-wrap").set("font-size", "12px").set("margin", "0");
            Details details = new Details(m.number() + ". +" + m.offsetMillis() + " ms · " + m.from() + " → " + m.to() + " · " + m.label()
                    + " · " + m.transport() + " " + (m.direction().equals("IN") ? m.remote() + " → " + m.local() : m.local() + " → " + m.remote()),
                    text);
            details.addClassName("ladder-message");
            details.setWidthFull();
            messages.add(details);
        }
    }
}
