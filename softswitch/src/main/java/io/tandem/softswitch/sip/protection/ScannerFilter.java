package io.tandem.softswitch.sip.protection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tandem.softswitch.sip.codec.SipInbound;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import java.util.List;
import java.util.Locale;

/**
 * Silently drops requests from known scanning tools (no answer tells them a switch is here). It
 * never bans: a {@code User-Agent} is one spoofable string, and a datagram saying
 * {@code friendly-scanner} from a vendor's forged address must not cut that vendor off. Scanners
 * that change their User-Agent are met by the per-source rate and the digest guessing limits.
 */
@ChannelHandler.Sharable
public final class ScannerFilter extends ChannelInboundHandlerAdapter {
    private final FloodGuard guard;
    private final List<String> needles;

    public ScannerFilter(FloodGuard guard) {
        this.guard = guard;
        this.needles = guard.config().scannerUserAgents().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SipInbound.Message m && m.message() instanceof SipRequest r && isScanner(r)) {
            guard.counters().droppedScanners.increment();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean isScanner(SipRequest r) {
        String ua = r.header(HeaderName.USER_AGENT);
        return ua != null && isScannerAgent(ua);
    }

    /** Whether a User-Agent names a known scanning tool (case-insensitive). */
    public boolean isScannerAgent(String ua) {
        String lower = ua.toLowerCase(Locale.ROOT);
        for (String n : needles) {
            if (lower.contains(n)) {
                return true;
            }
        }
        return false;
    }
}
