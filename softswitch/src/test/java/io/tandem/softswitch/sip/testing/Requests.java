package io.tandem.softswitch.sip.testing;

import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.message.Via;

/** Small well-formed requests for tests. */
public final class Requests {
    private Requests() {
    }

    public static SipRequest.Builder request(String method, String branch, String callId, String fromTag, long cseq) {
        return SipRequest.builder(method, SipUri.parse("sip:+4930123456@203.0.113.10"))
            .via(Via.of("UDP", "198.51.100.7", 5060, branch))
            .from(Address.parse("<sip:+14155550100@198.51.100.7>").withTag(fromTag))
            .to(Address.parse("<sip:+4930123456@203.0.113.10>"))
            .callId(callId)
            .cseq(new CSeq(cseq, method))
            .maxForwards(70);
    }

    public static SipRequest invite(String branch) {
        return request("INVITE", branch, "call-" + branch, "ft", 1).build();
    }
}
