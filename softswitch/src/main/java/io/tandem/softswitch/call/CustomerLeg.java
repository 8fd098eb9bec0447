package io.tandem.softswitch.call;

import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.dialog.Dialog;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.InviteServerTransaction;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;
import java.net.InetSocketAddress;

/**
 * The customer's leg: our side of the customer's INVITE (the UAS) and of the dialog it creates.
 * Every answer to the customer goes out here, with the Record-Route of the INVITE copied into
 * dialog-creating answers (RFC 3261 §12.1.1), and every request we send the customer (BYE,
 * relayed re-INVITE/UPDATE/INFO) is built from {@link #dialog()} with its route set.
 */
final class CustomerLeg {

    private final InviteServerTransaction tx;
    private final SipRequest invite;
    private final InetSocketAddress source;
    private final Dialog dialog;
    private final SipEndpoint sip;
    private final TransactionExecutor loop;

    CustomerLeg(InviteServerTransaction tx, SipEndpoint sip, TransactionExecutor loop) {
        this.tx = tx;
        this.invite = tx.request();
        this.source = tx.source();
        this.dialog = Dialog.asServer(invite, tx.toTag());
        this.sip = sip;
        this.loop = loop;
    }

    SipRequest invite() {
        return invite;
    }

    Dialog dialog() {
        return dialog;
    }

    /** A refusal, mapped in the one table ({@link CallRejections}). */
    void reject(CallRejection rejection) {
        tx.respond(CallRejections.response(tx, rejection));
    }

    /** 487 after a CANCEL (RFC 3261 §9.2). */
    void requestTerminated() {
        tx.respond(487);
    }

    /** A vendor's 180/183 with our Contact and the (anchored) early-media body. */
    void relayProvisional(SipResponse fromVendor, MessageBody body) {
        SipResponse.Builder relayed = withRecordRoute(tx.responseBuilder(fromVendor.status())
                .status(fromVendor.status(), fromVendor.reasonPhrase()))
                .contact(sip.contact());
        if (body != null) {
            relayed.body(body.contentType(), body.content());
        }
        tx.respond(relayed.build());
    }

    /** The 200 OK to the customer; {@code sessionTimer} adds RFC 4028 headers when it runs. */
    void answer(MessageBody body, SessionTimer sessionTimer) {
        SipResponse.Builder ok = withRecordRoute(tx.responseBuilder(200))
                .contact(sip.contact())
                .header(HeaderName.ALLOW, LegRequests.ALLOW);
        if (body != null) {
            ok.body(body.contentType(), body.content());
        }
        sessionTimer.addHeaders(ok);
        tx.respond(ok.build());
    }

    /** The callee's own final answer (busy, not found, declined...) relayed as it came, with its Reason. */
    void relayFinal(SipResponse fromVendor) {
        SipResponse.Builder relayed = tx.responseBuilder(fromVendor.status()).status(fromVendor.status(), fromVendor.reasonPhrase());
        String reasonHeader = fromVendor.header(HeaderName.REASON);
        if (reasonHeader != null) {
            relayed.header(HeaderName.REASON, reasonHeader);
        }
        tx.respond(relayed.build());
    }

    /** Ends the answered call towards the customer. */
    void bye(String why) {
        SipRequest bye = dialog.newRequest(SipRequest.BYE)
                .via(sip.newVia(transport()))
                .maxForwards(70)
                .header(HeaderName.REASON, SipRejection.reasonHeader(16, why))
                .build();
        sip.sendRequest(bye, destination(), loop, ClientTransactionListener.NONE);
    }

    /** The transport the customer reached us over. */
    SipTransport transport() {
        return tx.reliable() ? SipTransport.TCP : SipTransport.UDP;
    }

    /**
     * Where requests to the customer go: the first route of the dialog's route set (the proxy that
     * record-routed), else the address the INVITE came from (works through NAT).
     */
    SipDestination destination() {
        return dialog.firstHop(transport())
                .orElseGet(() -> new SipDestination(transport(), source.getAddress().getHostAddress(), source.getPort()));
    }

    /** RFC 3261 §12.1.1: the UAS copies the request's Record-Route into every dialog-creating answer. */
    private SipResponse.Builder withRecordRoute(SipResponse.Builder response) {
        for (String value : invite.headers().all(HeaderName.RECORD_ROUTE)) {
            response.addHeader(HeaderName.RECORD_ROUTE, value);
        }
        return response;
    }
}
