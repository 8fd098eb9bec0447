package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetSocketAddress;

/**
 * Lets an accepted connection also be found under the address its peer listens on (source IP,
 * Via port), so requests we send later in the dialog reuse it instead of opening another one
 * (RFC 3261 §18, in the spirit of RFC 5923).
 */
@FunctionalInterface
public interface ConnectionAliases {
    void alias(SipTransport transport, InetSocketAddress listeningAddress, Channel connection);
}
