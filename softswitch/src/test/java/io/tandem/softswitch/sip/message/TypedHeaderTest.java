package io.tandem.softswitch.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TypedHeaderTest {

    @Test
    void digestCredentials() {
        Credentials c = Credentials.parse("Digest username=\"alice\", realm=\"tandem\",\r\n nonce=\"abc\", "
            + "uri=\"sip:+4930123456@203.0.113.10\", response=\"0123abcd\", algorithm=SHA-256, qop=auth, nc=00000001, "
            + "cnonce=\"x\\\"y\"").orElseThrow();
        assertThat(c.isDigest()).isTrue();
        assertThat(c.param("USERNAME")).isEqualTo("alice");
        assertThat(c.param("uri")).isEqualTo("sip:+4930123456@203.0.113.10");
        assertThat(c.param("algorithm")).isEqualTo("SHA-256");
        assertThat(c.param("cnonce")).isEqualTo("x\"y");
        assertThat(Credentials.parse("Digest username=")).isEmpty();
    }

    @Test
    void sessionExpires() {
        assertThat(SessionExpires.parse("1800;refresher=uac")).contains(new SessionExpires(1800, "uac"));
        assertThat(SessionExpires.parse(" 90 ")).contains(new SessionExpires(90, null));
        assertThat(SessionExpires.parse("soon")).isEmpty();
    }

    @Test
    void reason() {
        assertThat(Reason.parseList("Q.850;cause=16;text=\"Normal call clearing\", SIP;cause=200"))
            .contains(List.of(new Reason("Q.850", 16, "Normal call clearing"), new Reason("SIP", 200, null)));
        assertThat(Reason.parseList("Q.850;cause=abc")).isEmpty();
        assertThat(new Reason("Q.850", 34, "No \"circuit\"").toString()).isEqualTo("Q.850;cause=34;text=\"No \\\"circuit\\\"\"");
    }
}
