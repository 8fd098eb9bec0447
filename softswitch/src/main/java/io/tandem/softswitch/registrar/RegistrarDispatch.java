package io.tandem.softswitch.registrar;

import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.FirstLook;
import io.tandem.softswitch.sip.transaction.InviteServerTransaction;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import io.tandem.softswitch.call.identify.RegisteredSources;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalLong;

/**
 * The node's transaction user: out-of-dialog REGISTER and MESSAGE go to the {@link Registrar}, every
 * other request to the call engine. A cluster MESSAGE, forged or genuine, never reaches the calls. Requests
 * and responses of calls relayed to a registered flow this node holds go to the registrar's relay.
 */
public final class RegistrarDispatch implements SipRequestHandler, RegisteredSources {

    private final SipRequestHandler calls;
    private volatile Registrar registrar;

    public RegistrarDispatch(SipRequestHandler calls) {
        this.calls = calls;
    }

    /** The registrar needs the started stack, so it is attached afterwards; until then REGISTER and MESSAGE get 503. */
    public void attach(Registrar registrar) {
        this.registrar = registrar;
    }

    /** The registrar's answer once attached; nothing before. Any thread. */
    @Override
    public OptionalLong trunkOf(InetAddress source) {
        Registrar attached = registrar;
        return attached == null ? OptionalLong.empty() : attached.trunkOf(source);
    }

    public boolean isRegistered(InetAddress source) {
        Registrar attached = registrar;
        return attached != null && attached.isRegistered(source);
    }

    private static boolean forRegistrar(SipRequest request) {
        return request.to().tag() == null
                && (SipRequest.REGISTER.equals(request.method()) || SipRequest.MESSAGE.equals(request.method()));
    }

    @Override
    public FirstLook firstLook(SipRequest request, InetSocketAddress source) {
        if (!forRegistrar(request)) {
            return calls.firstLook(request, source);
        }
        Registrar attached = registrar;
        return attached == null
                ? new FirstLook.StatelessAnswer(request.createResponse(503).header(HeaderName.RETRY_AFTER, "5"))
                : attached.firstLook(request, source);
    }

    @Override
    public void onRequest(ServerTransaction transaction) {
        if (forRegistrar(transaction.request())) {
            registrar.onRequest(transaction);
        } else {
            calls.onRequest(transaction);
        }
    }

    @Override
    public void onCancel(InviteServerTransaction invite, SipRequest cancel) {
        calls.onCancel(invite, cancel);
    }

    @Override
    public void onAck(SipRequest ack) {
        calls.onAck(ack);
    }

    @Override
    public void onAckTimeout(InviteServerTransaction invite) {
        calls.onAckTimeout(invite);
    }

    @Override
    public void onStrayResponse(SipResponse response) {
        Registrar attached = registrar;
        if (attached == null || !attached.relays(response)) {
            calls.onStrayResponse(response);
        }
    }

    /** Requests on a holder's relay route (docs/registrations.md) are relayed before any transaction. */
    @Override
    public boolean relays(SipRequest request, InetSocketAddress source) {
        Registrar attached = registrar;
        return attached != null && attached.relays(request, source);
    }
}
