package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The datagrams the kernel drops at a full socket, which the node never reads, counted from the kernel's own tables. */
class KernelUdpDropsTest {

    @Test
    void onlyTheRowsOfTheNodesPortAreSummed() {
        String table = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              201: 0100007F:13C4 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81234 2 0000000000000000 17
              202: 0100007F:13C4 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 81235 2 0000000000000000 25
              977: 0100007F:13C5 00000000:0000 07 00000000:0003A200 00:00000000 00000000     0        0 81299 2 0000000000000000 9000
            """;
        assertThat(KernelUdpDrops.droppedAt(table, 5060)).isEqualTo(42);
        assertThat(KernelUdpDrops.droppedAt(table, 5090)).isZero();
    }

    @Test
    void whatArrivesAtAFullSocketIsCounted() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/net/udp")), "the kernel's UDP tables (Linux)");
        try (DatagramSocket unread = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            unread.setReceiveBufferSize(4096);
            try (KernelUdpDrops drops = new KernelUdpDrops(unread.getLocalPort())) {
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (drops.dropped() < 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(drops.dropped()).as("nothing dropped yet").isZero();
                byte[] invite = new byte[1_000];
                for (int i = 0; i < 200; i++) {
                    sender.send(new DatagramPacket(invite, invite.length, unread.getLocalSocketAddress()));
                }
                while (drops.dropped() < 150 && System.nanoTime() < deadline + 2_000_000_000L) {
                    Thread.sleep(10);
                }
                assertThat(drops.dropped()).as("of 200 datagrams sent to a socket that queues a few").isGreaterThanOrEqualTo(150);
            }
        }
    }
}
