package io.tandem.softswitch.capture;

import static io.tandem.softswitch.capture.CaptureFixtures.CUSTOMER;
import static io.tandem.softswitch.capture.CaptureFixtures.VENDOR;
import static io.tandem.softswitch.capture.CaptureFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.softswitch.sip.transport.WireMessage;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HEP v3 export read by a real collector: Debian's {@code sngrep} listening for HEP on loopback
 * and writing what it receives to a pcap. Each message must arrive octet for octet.
 */
class HepExportTest {

    @TempDir
    Path work;

    @Test
    void sngrepReceivesEveryExportedMessageIntact() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sngrep")), "sngrep is not installed (apt-get install sngrep)");
        int port = freeUdpPort();
        Path pcap = work.resolve("hep.pcap");
        Process sngrep = new ProcessBuilder("/usr/bin/sngrep", "-F", "-N", "-q", "-L", "udp:127.0.0.1:" + port, "-O", pcap.toString())
            .redirectErrorStream(true).redirectOutput(work.resolve("sngrep.log").toFile()).start();
        List<WireMessage> sent = List.of(
            message(1_765_000_000_000_001L, WireMessage.Direction.IN, CUSTOMER, "hep-call-1", "INVITE sip:442079460001@127.0.0.1 SIP/2.0"),
            message(1_765_000_000_000_002L, WireMessage.Direction.OUT, CUSTOMER, "hep-call-1", "SIP/2.0 100 Trying"),
            message(1_765_000_000_000_003L, WireMessage.Direction.OUT, VENDOR, "hep-call-1-b", "INVITE sip:442079460001@vendor SIP/2.0"),
            message(1_765_000_000_000_004L, WireMessage.Direction.IN, VENDOR, "hep-call-1-b", "SIP/2.0 200 OK"));
        try (HepExporter hep = new HepExporter(new InetSocketAddress("127.0.0.1", port), 2001, "hep-secret")) {
            awaitBound(port, sngrep);
            sent.forEach(hep::export);
            assertThat(hep.sent()).isEqualTo(sent.size());
            Thread.sleep(300);
        } finally {
            sngrep.destroy();
            assertThat(sngrep.waitFor(5, TimeUnit.SECONDS)).isTrue();
        }
        byte[] written = Files.readAllBytes(pcap);
        String text = new String(written, StandardCharsets.ISO_8859_1);
        for (WireMessage m : sent) {
            assertThat(text).as("pcap holds " + new String(m.octets(), StandardCharsets.US_ASCII).lines().findFirst().orElseThrow())
                .contains(new String(m.octets(), StandardCharsets.ISO_8859_1));
        }
        assertThat(packetsIn(written)).isEqualTo(sent.size());
    }

    @Test
    void thePacketCarriesTheAddressesPortsTimeAndCaptureIdInHepV3Chunks() {
        WireMessage out = message(1_765_000_000_123_456L, WireMessage.Direction.OUT, VENDOR, "c", "BYE sip:v SIP/2.0");
        ByteBuffer b = ByteBuffer.wrap(new HepEncoder(99, null).encode(out));
        assertThat(new String(b.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("HEP3");
        assertThat(b.getShort(4) & 0xffff).isEqualTo(b.capacity());
        java.util.Map<Integer, byte[]> chunks = new java.util.HashMap<>();
        for (int at = 6; at < b.capacity(); ) {
            int type = b.getShort(at + 2) & 0xffff;
            int length = b.getShort(at + 4) & 0xffff;
            chunks.put(type, java.util.Arrays.copyOfRange(b.array(), at + 6, at + length));
            at += length;
        }
        assertThat(ByteBuffer.wrap(chunks.get(7)).getShort() & 0xffff).as("source port: the switch sent it").isEqualTo(5060);
        assertThat(ByteBuffer.wrap(chunks.get(8)).getShort() & 0xffff).isEqualTo(5072);
        assertThat(ByteBuffer.wrap(chunks.get(9)).getInt()).isEqualTo(1_765_000_000);
        assertThat(ByteBuffer.wrap(chunks.get(10)).getInt()).isEqualTo(123_456);
        assertThat(ByteBuffer.wrap(chunks.get(12)).getInt()).isEqualTo(99);
        assertThat(chunks.get(15)).isEqualTo(out.octets());
        assertThat(chunks).doesNotContainKey(14);
    }

    /** Records in a classic pcap file: a 24-octet file header, then a 16-octet header per packet. */
    private static int packetsIn(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        for (int at = 24; at + 16 <= pcap.length; count++) {
            at += 16 + b.getInt(at + 8);
        }
        return count;
    }

    private static int freeUdpPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits (at most 15 s) until sngrep listens on the port, read from /proc/net/udp: probing by binding
     * the port ourselves could take it from under sngrep as it starts.
     */
    private static void awaitBound(int port, Process sngrep) throws InterruptedException, IOException {
        String local = String.format(":%04X ", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            assertThat(sngrep.isAlive()).as("sngrep runs").isTrue();
            try (var lines = Files.lines(Path.of("/proc/net/udp"))) {
                if (lines.anyMatch(line -> line.trim().split("\\s+")[1].endsWith(local.trim()))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IOException("sngrep did not listen on " + port + " within 15 s");
    }
}
