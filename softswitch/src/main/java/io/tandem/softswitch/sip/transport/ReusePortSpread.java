package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Spreads the datagrams of every sender over all the UDP sockets of one port, instead of letting the
 * kernel pick a socket by the sender's address and port. By default Linux hashes the 4-tuple over a
 * {@code SO_REUSEPORT} group, so everything one peer sends (a carrier's SBC, a load balancer, the
 * load generator) is received by one socket, read by one event loop: under an overload that one
 * thread reads, scans and hands off every datagram while the others wait for its hand-offs, and its
 * socket overflows first. A classic BPF program attached to the group ({@code SO_ATTACH_REUSEPORT_CBPF},
 * Linux 4.5) answers a random socket index per datagram instead, so every loop receives its share;
 * each datagram is still decoded on its Call-ID's loop ({@link CallIdDispatch}), so no more datagrams
 * change thread than before.
 *
 * <p>What it gives up: two datagrams one sender sends back to back may be read by two loops and reach
 * their Call-ID's loop in the other order, as the network itself may deliver them (RFC 3261 §18 asks
 * nothing more of UDP). Requests of one call are normally a round trip apart (an ACK follows our 200, a
 * BYE follows the ACK); the exception is a CANCEL sent within microseconds of its INVITE, which then may
 * get 481, exactly as if the network had reordered them, and the caller ends the call with BYE instead.
 *
 * <p>Set with Netty's raw socket option ({@code setsockopt} with our bytes): no native code of ours.
 */
final class ReusePortSpread {
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    /** {@code BPF_LD | BPF_W | BPF_ABS}: A = a 32-bit word, here the ancillary "random" value. */
    private static final short LD_W_ABS = 0x20;
    /** {@code SKF_AD_OFF + SKF_AD_RANDOM}: -0x1000 + 56. */
    private static final int ANCILLARY_RANDOM = -0x1000 + 56;
    /** {@code BPF_ALU | BPF_MOD | BPF_K}: A = A % k. */
    private static final short ALU_MOD_K = 0x94;
    /** {@code BPF_RET | BPF_A}: the socket index is A. */
    private static final short RET_A = 0x16;
    private static final int INSTRUCTIONS = 3;
    private static final int INSTRUCTION_BYTES = 8;
    /** {@code struct sock_fprog}: an unsigned short length, padding, then the pointer to the instructions. */
    private static final int PROGRAM_BYTES = 16;

    private ReusePortSpread() {
    }

    /**
     * Attaches the spreading program to the reuse-port group of {@code socket} (an epoll datagram channel), which
     * has {@code sockets} sockets.
     *
     * @throws ChannelException when the kernel refuses it
     */
    static void spreadRandomly(Channel socket, int sockets) {
        if (sockets < 2) {
            return;
        }
        ByteBuffer program = ByteBuffer.allocateDirect(INSTRUCTIONS * INSTRUCTION_BYTES).order(ByteOrder.nativeOrder());
        instruction(program, LD_W_ABS, ANCILLARY_RANDOM);
        instruction(program, ALU_MOD_K, sockets);
        instruction(program, RET_A, 0);
        ByteBuffer fprog = ByteBuffer.allocateDirect(PROGRAM_BYTES).order(ByteOrder.nativeOrder());
        fprog.putShort(0, (short) INSTRUCTIONS);
        fprog.putLong(8, PlatformDependent.directBufferAddress(program));
        RawUnixChannelOption attach = new RawUnixChannelOption("SO_ATTACH_REUSEPORT_CBPF", SOL_SOCKET,
            SO_ATTACH_REUSEPORT_CBPF, PROGRAM_BYTES);
        // the kernel copies the program during the call; `program` stays reachable until it returns
        if (!socket.config().setOption(attach, fprog) || program.capacity() == 0) {
            throw new ChannelException("the socket did not take SO_ATTACH_REUSEPORT_CBPF");
        }
    }

    /** {@code struct sock_filter}: u16 code, u8 jt, u8 jf, u32 k. */
    private static void instruction(ByteBuffer program, short code, int k) {
        program.putShort(code).put((byte) 0).put((byte) 0).putInt(k);
    }
}
