package io.tandem.softswitch.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class SdpAnchoringTest {

    private static SessionDescription fixture(String name) throws IOException, SdpSyntaxException {
        try (InputStream in = SdpAnchoringTest.class.getResourceAsStream("/sdp/" + name)) {
            return SessionDescription.parse(in.readAllBytes());
        }
    }

    @Test
    void parsesEveryStreamWithItsAddressDirectionAndPort() throws Exception {
        SessionDescription sdp = fixture("offer-ice-two-streams.sdp");
        assertThat(sdp.media()).extracting(MediaDescription::media).containsExactly("audio", "video", "image");
        assertThat(sdp.media()).extracting(MediaDescription::port).containsExactly(49170, 51372, 0);
        assertThat(sdp.connectionAddressOf(0)).isEqualTo("10.0.0.5");
        assertThat(sdp.connectionAddressOf(1)).isEqualTo("10.0.0.6");
        assertThat(sdp.directionOf(0)).isEqualTo(MediaDirection.SENDRECV);
        assertThat(sdp.media().get(0).firstClockRate()).isEqualTo(8000);
        assertThat(sdp.media().get(1).firstClockRate()).isEqualTo(90000);
    }

    @Test
    void anchoredOfferNamesOnlyTheRelayAndKeepsCryptoAndTelephoneEvents() throws Exception {
        SessionDescription in = fixture("offer-ice-two-streams.sdp");
        String out = SdpAnchoring.anchor(in, "203.0.113.1", new int[]{20000, 20002, 0}, new SdpAnchoring.Origin(42)).text();

        assertThat(out).doesNotContain("10.0.0.5", "10.0.0.6", "192.0.2.3", "alice", "candidate", "ice-", "a=rtcp:");
        assertThat(out).contains("o=tandem 42 42 IN IP4 203.0.113.1\r\n", "c=IN IP4 203.0.113.1\r\n",
                "m=audio 20000 RTP/SAVP 0 8 101\r\n", "m=video 20002 RTP/AVP 99\r\n", "m=image 0 udptl t38\r\n",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32\r\n",
                "a=fmtp:101 0-15\r\n", "a=sendrecv\r\n");
        // RFC 4566 §5 order: the session c= before t=
        assertThat(out.indexOf("c=IN IP4 203.0.113.1")).isLessThan(out.indexOf("t=0 0"));
        assertThat(out.split("c=IN", -1)).hasSize(2);
        assertThat(SessionDescription.parse(out).connectionAddressOf(1)).isEqualTo("203.0.113.1");
    }

    @Test
    void originVersionRisesOnlyWhenTheDescriptionChanges() throws Exception {
        SessionDescription in = fixture("offer-ice-two-streams.sdp");
        SdpAnchoring.Origin origin = new SdpAnchoring.Origin(1000);
        int[] ports = {20000, 20002, 0};
        assertThat(SdpAnchoring.anchor(in, "203.0.113.1", ports, origin).text()).contains("o=tandem 1000 1000 ");
        assertThat(SdpAnchoring.anchor(in, "203.0.113.1", ports, origin).text()).contains("o=tandem 1000 1000 ");
        SessionDescription hold = fixture("hold-zero-address.sdp");
        assertThat(SdpAnchoring.anchor(hold, "203.0.113.1", new int[]{20000}, origin).text()).contains("o=tandem 1000 1001 ");
    }

    @Test
    void holdByZeroAddressBecomesAnAttributeOnceTheAddressIsOurs() throws Exception {
        String out = SdpAnchoring.anchor(fixture("hold-zero-address.sdp"), "203.0.113.1", new int[]{20000},
                new SdpAnchoring.Origin(1)).text();
        assertThat(out).doesNotContain("0.0.0.0", "203.0.113.9").contains("a=sendonly\r\n");
        assertThat(SessionDescription.parse(out).directionOf(0)).isEqualTo(MediaDirection.SENDONLY);
    }

    @Test
    void bareLineFeedsAndMediaLevelConnectionAreAccepted() throws Exception {
        SessionDescription sdp = fixture("lf-media-level-c.sdp");
        assertThat(sdp.directionOf(0)).isEqualTo(MediaDirection.RECVONLY);
        String out = SdpAnchoring.anchor(sdp, "192.0.2.50", new int[]{30000}, new SdpAnchoring.Origin(5)).text();
        assertThat(out).isEqualTo("v=0\r\no=tandem 5 5 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n"
                + "m=audio 30000 RTP/AVP 8\r\na=recvonly\r\n");
    }

    @Test
    void garbageIsRefusedWithAReason() {
        assertThatThrownBy(() -> SessionDescription.parse("hello")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\n")).hasMessageContaining("no c=");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 70000 RTP/AVP 0\r\n"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\nc=IN IP4 1.2.3.4\r\n" + "m=audio 1 RTP/AVP 0\r\n".repeat(17)))
                .hasMessageContaining("m= lines");
        assertThatThrownBy(() -> SessionDescription.parse(new byte[SessionDescription.MAX_BYTES + 1])).hasMessageContaining("larger");
    }
}
