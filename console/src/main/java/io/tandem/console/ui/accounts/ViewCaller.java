package io.tandem.console.ui.accounts;

import com.vaadin.flow.server.VaadinRequest;
import io.tandem.console.service.Caller;

/** The signed-in console user as an application service sees them, with the browser's address for the audit log. */
public final class ViewCaller {

    private ViewCaller() {
    }

    /** Call on the request thread (a click listener), never from a background task. */
    public static Caller current() {
        VaadinRequest request = VaadinRequest.getCurrent();
        return Caller.current(request == null ? "" : request.getRemoteAddr());
    }
}
