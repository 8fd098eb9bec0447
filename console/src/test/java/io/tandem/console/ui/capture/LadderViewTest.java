package io.tandem.console.ui.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.html.Pre;
import io.tandem.billing.account.Account;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.ui.BrowserlessConsoleTest;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.cdrs.CdrsView;
import io.tandem.softswitch.capture.CallCapture;
import io.tandem.softswitch.capture.CaptureCodec;
import io.tandem.softswitch.capture.CaptureLeg;
import io.tandem.softswitch.capture.CaptureStore;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A call's ladder as an operator opens it from the CDRs: columns, arrows, every message's full text; and who may open it. */
class LadderViewTest extends BrowserlessConsoleTest {

    private static final InetSocketAddress SWITCH = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress CUSTOMER = new InetSocketAddress("127.0.0.1", 5071);
    private static final InetSocketAddress VENDOR = new InetSocketAddress("127.0.0.1", 5072);
    /** A number no other test dials. */
    private static final String NUMBER = "3961234";

    @Autowired
    CaptureStore store;

    @Autowired
    CdrStore cdrs;

    @Autowired
    AccountService accounts;

    private static WireMessage message(long micros, WireMessage.Direction direction, InetSocketAddress remote, String callId, String startLine,
                                       String cseq) {
        String text = startLine + "\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK" + micros + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + "\r\nContent-Length: 0\r\n\r\n";
        return new WireMessage(micros, direction, SipTransport.UDP, SWITCH, remote, callId, text.getBytes(StandardCharsets.UTF_8));
    }

    private UUID storedCall() {
        UUID id = UUID.randomUUID();
        long t = Instant.now().toEpochMilli() * 1000;
        store.put(id, CaptureCodec.encode(new CallCapture(id, List.of(new CaptureLeg("a@c", 0, 0), new CaptureLeg("b@s", 1, 7)), List.of(
                message(t, WireMessage.Direction.IN, CUSTOMER, "a@c", "INVITE sip:" + NUMBER + "@switch SIP/2.0", "1 INVITE"),
                message(t + 1_000, WireMessage.Direction.OUT, VENDOR, "b@s", "INVITE sip:" + NUMBER + "@vendor SIP/2.0", "1 INVITE"),
                message(t + 52_000, WireMessage.Direction.IN, VENDOR, "b@s", "SIP/2.0 486 <script>alert(1)</script>", "1 INVITE"),
                message(t + 53_000, WireMessage.Direction.OUT, CUSTOMER, "a@c", "SIP/2.0 486 Busy Here", "1 INVITE")), 0, false)));
        return id;
    }

    @Test
    void anOperatorOpensTheLadderOfACallFromItsCdr() {
        UUID id = storedCall();
        Account customer = accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
        cdrs.insert(List.of(cdr(id, customer.id())));
        signIn("olga", ConsoleRole.OPERATOR);
        openTheCdr();
        test($(Button.class).id("cdr-ladder")).click();

        LadderView view = $(LadderView.class).single();
        assertThat(view.summary.getText()).contains(id.toString(), "4 messages").doesNotContain("in progress");
        String svg = ((Html) view.diagram.getChildren().findFirst().orElseThrow()).getInnerHtml();
        assertThat(svg).contains("Customer", "Switch", "Vendor attempt 1 (gateway 7)", "127.0.0.1:5072", "1. INVITE",
                "4. 486 Busy Here (INVITE)", "+52 ms");
        assertThat(svg).as("a peer's reason phrase is text, never markup").doesNotContain("<script>").contains("&lt;script&gt;");
        List<Details> messages = $(Details.class).from(view.messages).all();
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1).getSummaryText()).contains("switch → attempt-1", "INVITE", "127.0.0.1:5060 → 127.0.0.1:5072");
        assertThat(((Pre) messages.get(1).getContent().findFirst().orElseThrow()).getText())
                .startsWith("INVITE sip:" + NUMBER + "@vendor SIP/2.0\r\nVia:").contains("Call-ID: b@s");
    }

    @Test
    void aViewerGetsNoLadderNeitherFromTheCdrNorByItsAddress() {
        UUID id = storedCall();
        Account customer = accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
        cdrs.insert(List.of(cdr(id, customer.id())));
        signIn("vera", ConsoleRole.VIEWER);
        openTheCdr();
        assertThat($(Button.class).withId("cdr-ladder").all()).isEmpty();
        assertThatThrownBy(() -> navigate("calls/" + id + "/ladder", LadderView.class)).isNotNull();
    }

    @Test
    void aCallWithoutCaptureSaysWhy() {
        signIn("olga", ConsoleRole.ADMIN);
        UUID unknown = UUID.randomUUID();
        LadderView view = navigate("calls/" + unknown + "/ladder", LadderView.class);
        assertThat(view.summary.getText()).contains("No capture of call " + unknown, "retention");
        assertThat(navigate("calls/not-a-call/ladder", LadderView.class).summary.getText()).contains("is not a call id");
    }

    /** What a user does on the CDRs page: filter by the number, click the call. */
    @SuppressWarnings("unchecked")
    private void openTheCdr() {
        navigate(CdrsView.class);
        test($(TextField.class).id("cdrs-prefix")).setValue(NUMBER);
        test($(Button.class).id("cdrs-search")).click();
        test((Grid<Object>) $(Grid.class).id("cdrs-grid")).clickRow(0);
    }

    private static CdrRecord cdr(UUID callId, long customer) {
        RateSnapshot sell = RateSnapshot.of("39", "0.020000", "0", 60, 60);
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        Instant ended = started.plusMillis(700);
        return new CdrRecord(callId, 1, "node-a", "a@c", customer, 1L, null, null, "+100", NUMBER, "+100", NUMBER, started, null, ended,
                700, 0, 700, 486, "Busy Here", 17, HangupSide.CALLEE, "USD", sell, null, null, null, null).priced();
    }
}
