package io.tandem.softswitch.call;

import io.tandem.billing.authorization.CallAuthorizer;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.softswitch.sip.SipEndpoint;
import java.util.concurrent.Executor;

/** The node-wide collaborators every call shares, assembled once by {@link CallEngine}. All thread-safe. */
record CallParts(CallEngineSettings settings, CallRouting routing, SipEndpoint sip, CallAuthorizer billing, Executor billingExecutor, CallClock clock,
                 AdmissionControl admission, VendorBreakers breakers, QualityStats quality, CallRegistry registry,
                 CallCounters counters, CallObserver observer, MediaAnchor.Factory media,
                 RegisteredTargets registeredTargets) {
}
