package io.tandem.softswitch.registrar;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.FirstLook;
import io.tandem.softswitch.sip.transaction.InviteServerTransaction;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import java.net.InetSocketAddress;

/**
 * The node's transaction user: out-of-dialog REGISTER and MESSAGE go to the {@link Registrar}, every
 * other request to the call engine. A cluster MESSAGE, forged or genuine, never reaches the calls.
 */
public final class RegistrarDispatch implements SipRequestHandler {

    private final Registrar registrar;
    private final SipRequestHandler calls;

    public RegistrarDispatch(Registrar registrar, SipRequestHandler calls) {
        this.registrar = registrar;
        this.calls = calls;
    }

    private static boolean forRegistrar(SipRequest request) {
        return request.to().tag() == null
                && (SipRequest.REGISTER.equals(request.method()) || SipRequest.MESSAGE.equals(request.method()));
    }

    @Override
    public FirstLook firstLook(SipRequest request, InetSocketAddress source) {
        return forRegistrar(request) ? registrar.firstLook(request, source) : calls.firstLook(request, source);
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
        calls.onStrayResponse(response);
    }
}
