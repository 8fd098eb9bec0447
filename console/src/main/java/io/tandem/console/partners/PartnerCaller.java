package io.tandem.console.partners;

import io.tandem.console.service.Caller;

/**
 * A partner making a request: the caller (for the audit log) and the one account its key or console user is
 * bound to. Every partner read and change is scoped to {@code accountId}; another account's things answer
 * "does not exist", never "forbidden", so a partner cannot learn which ids are in use.
 */
public record PartnerCaller(Caller caller, long accountId) {

    public String name() {
        return caller.name();
    }
}
