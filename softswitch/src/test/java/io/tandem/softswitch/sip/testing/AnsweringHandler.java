package io.tandem.softswitch.sip.testing;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A minimal endpoint: 200 for the methods it knows, 501 for the rest (RFC 3261 §8.2.1). */
public final class AnsweringHandler implements SipRequestHandler {
    private static final Set<String> KNOWN = Set.of("INVITE", "OPTIONS", "REGISTER", "MESSAGE", "BYE", "INFO");

    /** The requests that reached the application, as they arrived. */
    public final List<SipRequest> seen = new ArrayList<>();

    @Override
    public void onRequest(ServerTransaction tx) {
        seen.add(tx.request());
        tx.respond(KNOWN.contains(tx.request().method()) ? 200 : 501);
    }
}
