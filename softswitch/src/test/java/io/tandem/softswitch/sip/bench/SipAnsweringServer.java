package io.tandem.softswitch.sip.bench;

import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.SipStackStats;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.protection.ProtectionConfig;

/**
 * A listener that answers everything 200 (INVITE with a Contact), for manual load checks with
 * SIPp; see docs/performance.md. Arguments: port, seconds to run.
 */
public final class SipAnsweringServer {
    private SipAnsweringServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5080;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        SipStackConfig config = SipStackConfig.loopback().withPorts(port, port, -1)
            .withProtection(ProtectionConfig.disabled());
        Address contact = Address.of(SipUri.sip(null, "127.0.0.1", port));
        try (SipStack stack = SipStack.start(config, tx -> tx.respond(
            tx.responseBuilder(200).header(HeaderName.CONTACT, contact.toString()).build()))) {
            System.out.println("answering on 127.0.0.1:" + port + " for " + seconds + " s");
            Thread.sleep(seconds * 1000L);
            SipStackStats s = stack.stats();
            System.out.println(s);
        }
    }
}
