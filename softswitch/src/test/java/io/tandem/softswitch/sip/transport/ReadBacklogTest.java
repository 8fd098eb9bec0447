package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import org.junit.jupiter.api.Test;

/** {@link ReadBacklog} on an embedded channel whose reads the test shapes. */
class ReadBacklogTest {

    private static void read(EmbeddedChannel ch, int datagrams) {
        for (int i = 0; i < datagrams; i++) {
            ch.pipeline().fireChannelRead("datagram " + i);
        }
        ch.pipeline().fireChannelReadComplete();
    }

    @Test
    void readsThatStopAtTheCapOneAfterAnotherAreABacklogUntilAReadEmptiesTheSocket() throws Exception {
        ReadBacklog backlog = new ReadBacklog();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(16));
        ch.pipeline().addLast(backlog.newMeter());

        read(ch, 3);
        assertThat(backlog.worstBacklogNanos()).as("a read that emptied the socket").isZero();
        read(ch, 16);
        Thread.sleep(5);
        read(ch, 16);
        long during = backlog.worstBacklogNanos();
        assertThat(during).as("two full reads, 5 ms apart").isGreaterThanOrEqualTo(5_000_000L);
        assertThat(ch.readInbound().toString()).as("datagrams pass on").isEqualTo("datagram 0");
        read(ch, 15);
        assertThat(backlog.worstBacklogNanos()).as("a read under the cap emptied the socket").isZero();

        read(ch, 16);
        ch.close();
        assertThat(backlog.worstBacklogNanos()).as("a closed socket's meter is gone").isZero();
    }
}
