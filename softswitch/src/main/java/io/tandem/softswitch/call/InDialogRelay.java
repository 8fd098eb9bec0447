package io.tandem.softswitch.call;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.dialog.Dialog;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;

/**
 * Relays re-INVITE, UPDATE, INFO and OPTIONS of an answered call to the other leg, built from that
 * leg's dialog (its tags, CSeq, remote target and route set), and the final answer back. A 2xx
 * to a relayed re-INVITE is ACKed by us at once (we are the UAC of that leg); the sender's ACK of
 * our relayed 2xx ends in the engine, except when that re-INVITE had no offer and the 2xx brought one
 * (RFC 3261 §14.1): then our ACK waits for the sender's, whose answer it carries ({@link #onAck}). A re-INVITE while another is pending on the call gets
 * {@code 491} (RFC 3261 §14.2). Bodies cross through the call's {@link MediaAnchor}; an offer it
 * cannot anchor is answered there (488 or 503) and not relayed.
 */
final class InDialogRelay {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InDialogRelay.class);

    private final CallParts parts;
    private final TransactionExecutor loop;
    private final CustomerLeg customer;
    private final MediaAnchor media;
    private final SessionTimer sessionTimer;
    private boolean inviteInProgress;
    /** Our ACK of a 2xx that brought an offer to a relayed re-INVITE without one, waiting for the sender's answer. */
    private OwedAck owedAck;

    /** Where the ACK of a relayed re-INVITE's 2xx goes, once the sender's ACK brought the answer it must carry. */
    private final class OwedAck {
        final boolean fromCustomer;
        final long senderCseq;
        final Dialog out;
        final long outCseq;
        final SipTransport transport;
        final SipDestination destination;
        SipRequest sent;

        OwedAck(boolean fromCustomer, long senderCseq, Dialog out, long outCseq, SipTransport transport, SipDestination destination) {
            this.fromCustomer = fromCustomer;
            this.senderCseq = senderCseq;
            this.out = out;
            this.outCseq = outCseq;
            this.transport = transport;
            this.destination = destination;
        }

        void send(MessageBody answer) {
            SipRequest.Builder b = out.newAck(outCseq).via(parts.sip().newVia(transport)).maxForwards(70);
            if (answer != null) {
                b.body(answer.contentType(), answer.content());
            }
            sent = b.build();
            parts.sip().sendStateless(sent, destination, loop);
        }
    }

    InDialogRelay(CallParts parts, TransactionExecutor loop, CustomerLeg customer, MediaAnchor media, SessionTimer sessionTimer) {
        this.parts = parts;
        this.loop = loop;
        this.customer = customer;
        this.media = media;
        this.sessionTimer = sessionTimer;
    }

    void relay(ServerTransaction request, boolean fromCustomer, VendorAttempt vendor) {
        SipRequest in = request.request();
        if (in.isInvite() && inviteInProgress) {
            request.respond(491);
            return;
        }
        Dialog out = fromCustomer ? vendor.dialog() : customer.dialog();
        Dialog sender = fromCustomer ? customer.dialog() : vendor.dialog();
        SipTransport transport = fromCustomer ? vendor.transport() : customer.transport();
        SipDestination destination = fromCustomer ? vendor.destination() : customer.destination();
        SipRequest.Builder b = out.newRequest(in.method())
                .via(parts.sip().newVia(transport))
                .maxForwards(Math.max(0, in.maxForwards() - 1))
                .contact(parts.sip().contact());
        // The customer leg's session timer ends here (SessionTimer): the vendor leg has none.
        boolean localTimer = fromCustomer && sessionTimer.running();
        HeaderName[] carried = localTimer
                ? new HeaderName[] {HeaderName.SUPPORTED, HeaderName.EVENT}
                : new HeaderName[] {HeaderName.SESSION_EXPIRES, HeaderName.MIN_SE, HeaderName.SUPPORTED, HeaderName.REQUIRE,
                    HeaderName.EVENT};
        copy(in, b, carried);
        MessageBody body = LegRequests.bodyOf(in);
        if (body != null) {
            body = fromCustomer ? media.towardVendor(body) : media.towardCustomer(body);
            CallRejection refused = media.refusal();
            if (refused != null) {
                // the offer is not sent on; the call goes on with the media it had (RFC 3261 §14.2)
                request.respond(CallRejections.response(request, refused));
                return;
            }
            b.body(body.contentType(), body.content());
        }
        SipRequest relayed = b.build();
        if (relayed.isInvite()) {
            inviteInProgress = true;
        }
        parts.sip().sendRequest(relayed, destination, loop, new ClientTransactionListener() {
            private OwedAck owed;

            @Override
            public void onResponse(ClientTransaction transaction, SipResponse response) {
                if (response.status() < 200) {
                    return;
                }
                if (owed != null) {
                    // the same 2xx again: our ACK (once the sender's answer came) is sent again, nothing else changes
                    if (owed.sent != null) {
                        parts.sip().sendStateless(owed.sent, destination, loop);
                    }
                    return;
                }
                // RFC 3261 §14.1: a re-INVITE without an offer gets one in the 2xx, whose ACK must carry the answer
                boolean offerInAnswer = relayed.isInvite() && response.isSuccess() && in.bodyLength() == 0 && response.bodyLength() > 0;
                if (relayed.isInvite() && !offerInAnswer) {
                    inviteInProgress = false; // with an offer in the answer: once the answer is ACKed
                }
                boolean refreshesTarget = relayed.isInvite() || relayed.method().equals("UPDATE");
                if (response.isSuccess()) {
                    if (offerInAnswer) {
                        owed = new OwedAck(fromCustomer, in.cseq().sequence(), out, relayed.cseq().sequence(), transport, destination);
                        owedAck = owed;
                    } else if (relayed.isInvite()) {
                        SipRequest ack = out.newAck(relayed.cseq().sequence()).via(parts.sip().newVia(transport)).maxForwards(70).build();
                        parts.sip().sendStateless(ack, destination, loop);
                    }
                    if (refreshesTarget) {
                        out.refreshTarget(response);
                        sender.refreshTarget(in);
                    }
                }
                answer(request, response, localTimer && response.isSuccess() && refreshesTarget, fromCustomer);
            }

            @Override
            public void onTimeout(ClientTransaction transaction) {
                if (relayed.isInvite()) {
                    inviteInProgress = false;
                }
                request.respond(408);
            }
        });
    }

    /**
     * The ACK of our 2xx to a re-INVITE relayed from {@code fromCustomer}'s side: when that re-INVITE had no offer and
     * the other leg's 2xx brought one, its answer crosses the media side and goes on in our ACK to the other leg.
     * Any other ACK ends here.
     */
    void onAck(SipRequest ack, boolean fromCustomer) {
        OwedAck owed = owedAck;
        if (owed == null || owed.fromCustomer != fromCustomer || ack.cseq().sequence() != owed.senderCseq) {
            return;
        }
        owedAck = null;
        inviteInProgress = false;
        MessageBody body = LegRequests.bodyOf(ack);
        if (body != null) {
            body = fromCustomer ? media.towardVendor(body) : media.towardCustomer(body);
            if (media.refusal() != null) {
                // an ACK cannot be refused: the other leg keeps the media it had, as after a refused re-INVITE
                log.warn("re-INVITE answer in an ACK cannot be anchored ({}); the ACK goes on without it", media.refusal());
                body = null;
            }
        }
        owed.send(body);
    }

    /**
     * A re-INVITE of our own to the answered vendor with a new offer (its media moved: {@link MediaAnchor#reofferTowardVendor}).
     * Its answer goes to the media side only; a failure leaves the call as it was (the vendor may still latch).
     */
    void reoffer(VendorAttempt vendor, MessageBody offer) {
        if (inviteInProgress || vendor.dialog() == null) {
            return;
        }
        Dialog out = vendor.dialog();
        SipRequest reInvite = out.newRequest(SipRequest.INVITE)
                .via(parts.sip().newVia(vendor.transport()))
                .maxForwards(70)
                .contact(parts.sip().contact())
                .body(offer.contentType(), offer.content())
                .build();
        inviteInProgress = true;
        parts.sip().sendRequest(reInvite, vendor.destination(), loop, new ClientTransactionListener() {
            @Override
            public void onResponse(ClientTransaction transaction, SipResponse response) {
                if (response.status() < 200) {
                    return;
                }
                inviteInProgress = false;
                if (response.isSuccess()) {
                    SipRequest ack = out.newAck(reInvite.cseq().sequence()).via(parts.sip().newVia(vendor.transport())).maxForwards(70).build();
                    parts.sip().sendStateless(ack, vendor.destination(), loop);
                    out.refreshTarget(response);
                    MessageBody answer = LegRequests.bodyOf(response);
                    if (answer != null) {
                        media.towardCustomer(answer);   // the vendor's targets on the new node; the customer already has its answer
                    }
                }
            }

            @Override
            public void onTimeout(ClientTransaction transaction) {
                inviteInProgress = false;
            }
        });
    }

    /** The other leg's final answer, back to the leg that asked. */
    private void answer(ServerTransaction request, SipResponse response, boolean refreshed, boolean fromCustomer) {
        SipResponse.Builder back = request.responseBuilder(response.status()).status(response.status(), response.reasonPhrase())
                .contact(parts.sip().contact());
        if (refreshed) {
            sessionTimer.refresh();
            sessionTimer.addHeaders(back);
        } else {
            copy(response, back, HeaderName.SESSION_EXPIRES, HeaderName.REQUIRE, HeaderName.SUPPORTED);
        }
        MessageBody body = LegRequests.bodyOf(response);
        if (body != null) {
            body = fromCustomer ? media.towardCustomer(body) : media.towardVendor(body);
            back.body(body.contentType(), body.content());
        }
        request.respond(back.build());
    }

    /** The first value of each named header of one leg's message, onto the other leg's. */
    private static void copy(SipMessage from, SipMessage.Builder<?> to, HeaderName... names) {
        for (HeaderName name : names) {
            String value = from.header(name);
            if (value != null) {
                to.header(name, value);
            }
        }
    }
}
