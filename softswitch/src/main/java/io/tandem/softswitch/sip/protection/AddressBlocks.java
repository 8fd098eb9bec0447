package io.tandem.softswitch.sip.protection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of CIDR blocks (or single addresses) to test addresses against. */
public final class AddressBlocks {
    private record Block(byte[] network, int prefix) {
    }

    private final List<Block> blocks;

    /** @throws IllegalArgumentException naming an entry that is not an address or CIDR block */
    public AddressBlocks(List<String> cidrs) {
        List<Block> out = new ArrayList<>(cidrs.size());
        for (String c : cidrs) {
            int slash = c.indexOf('/');
            try {
                byte[] net = InetAddress.getByName(slash < 0 ? c : c.substring(0, slash)).getAddress();
                int prefix = slash < 0 ? net.length * 8 : Integer.parseInt(c.substring(slash + 1));
                if (prefix < 0 || prefix > net.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + c);
                }
                out.add(new Block(net, prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an address or CIDR block: " + c, e);
            }
        }
        this.blocks = List.copyOf(out);
    }

    /** An IPv4 or IPv6 literal as an address; null for anything else (never a DNS lookup). */
    public static InetAddress literal(String text) {
        return text == null ? null : io.netty.util.NetUtil.createInetAddressFromIpAddressString(text.trim());
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        for (Block b : blocks) {
            if (b.network.length == a.length && matches(a, b.network, b.prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] a, byte[] net, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != net[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (net[full] & mask);
    }
}
