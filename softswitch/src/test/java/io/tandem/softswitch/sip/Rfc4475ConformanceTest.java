package io.tandem.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.testing.AnsweringHandler;
import io.tandem.softswitch.sip.testing.EmbeddedSip;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 4475 torture messages through the real pipeline, judged by the accept rule the
 * manifest gives for each: {@code final!400} (a final answer that is not 400), {@code noreply},
 * {@code 4xx|drop} and its variants, {@code any} (only: nothing breaks).
 */
class Rfc4475ConformanceTest {

    record Case(String name, String expected, String kind, String acceptUdp, String tcp, String acceptTcp) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> manifest() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = Rfc4475ConformanceTest.class.getResourceAsStream("/sip/rfc4475/manifest.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String[] c = lines[i].split("\t");
                out.add(new Case(c[0], c[1], c[5], c[6], c[7], c[8]));
            }
        }
        return out;
    }

    static Stream<Arguments> udpCases() throws IOException {
        return manifest().stream().map(c -> Arguments.of(c, c.acceptUdp()));
    }

    static Stream<Arguments> tcpCases() throws IOException {
        return manifest().stream().filter(c -> !c.tcp().equals("never")).map(c -> Arguments.of(c, c.acceptTcp()));
    }

    static byte[] octets(String name) throws IOException {
        try (InputStream in = Rfc4475ConformanceTest.class.getResourceAsStream("/sip/rfc4475/" + name + ".dat")) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "UDP {0}: {1}")
    @MethodSource("udpCases")
    void overUdp(Case c, String rule) throws IOException {
        judge(SipTransport.UDP, c, rule);
    }

    @ParameterizedTest(name = "TCP {0}: {1}")
    @MethodSource("tcpCases")
    void overTcp(Case c, String rule) throws IOException {
        judge(SipTransport.TCP, c, rule);
    }

    private static void judge(SipTransport transport, Case c, String rule) throws IOException {
        AnsweringHandler handler = new AnsweringHandler();
        EmbeddedSip sip = new EmbeddedSip(transport, handler);
        sip.receive(octets(c.name()));
        List<Integer> statuses = sip.sentStatuses();
        List<Integer> finals = statuses.stream().filter(s -> s >= 200).toList();
        switch (rule) {
            case "final!400" -> {
                assertThat(finals).as("one final answer").hasSize(1);
                assertThat(finals.getFirst()).as("final status").isNotEqualTo(400);
            }
            case "noreply" -> assertThat(statuses).as("nothing sent").isEmpty();
            case "4xx|drop", "4xx|505|drop", "4xx|501|drop" -> {
                assertThat(statuses).as("only a rejection, or nothing").allMatch(s -> s >= 400 && s < 600);
                assertThat(finals).as("at most one final answer").hasSizeLessThanOrEqualTo(1);
                assertThat(handler.seen).as("never reaches the application").isEmpty();
            }
            case "any" -> assertThat(statuses).as("answers are SIP responses").allMatch(s -> s >= 100);
            default -> throw new IllegalArgumentException("unknown rule " + rule);
        }
        if (c.name().equals("dblreq")) {
            assertThat(handler.seen).singleElement().satisfies(request -> assertThat(request.method()).isEqualTo("REGISTER"));
        }
        if (c.name().equals("esc02")) {
            assertThat(handler.seen).singleElement()
                .satisfies(request -> assertThat(request.method()).isEqualTo("RE%47IST%45R"));
        }
        if (c.expected().equals("valid")) {
            assertThat(sip.counters.decoded()).as("a valid message parses").isGreaterThanOrEqualTo(1);
        }
        assertFalse(sip.channel.finish());
    }
}
