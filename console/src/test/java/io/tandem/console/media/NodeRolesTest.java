package io.tandem.console.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** {@code tandem.roles}: what each value does to the node, and a clear refusal of anything else. */
class NodeRolesTest {

    @Test
    void aMediaNodeRunsWithoutSip() {
        MockEnvironment environment = new MockEnvironment().withProperty("tandem.roles", " Media ");
        new NodeRoles().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("tandem.sip.enabled")).isEqualTo("false");
        assertThat(NodeRoles.of(environment)).isEqualTo(NodeRoles.Role.MEDIA);
    }

    @Test
    void bothIsTheDefaultAndSipNodesKeepTheirSipListener() {
        MockEnvironment unset = new MockEnvironment();
        new NodeRoles().postProcessEnvironment(unset, new SpringApplication());
        assertThat(NodeRoles.of(unset)).isEqualTo(NodeRoles.Role.BOTH);
        assertThat(unset.getProperty("tandem.sip.enabled")).isNull();
        MockEnvironment sip = new MockEnvironment().withProperty("tandem.roles", "sip");
        new NodeRoles().postProcessEnvironment(sip, new SpringApplication());
        assertThat(sip.getProperty("tandem.sip.enabled")).isNull();
    }

    @Test
    void anUnknownRoleStopsTheStartSayingWhatIsAllowed() {
        MockEnvironment environment = new MockEnvironment().withProperty("tandem.roles", "rtp");
        assertThatThrownBy(() -> new NodeRoles().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessage("tandem.roles must be one of both, sip, media, not 'rtp'");
    }
}
