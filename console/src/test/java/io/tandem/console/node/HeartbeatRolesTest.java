package io.tandem.console.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.authorization.NodeRoles;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** What a node writes into its heartbeat row: whether it takes calls decides its share of cluster-wide limits. */
class HeartbeatRolesTest {

    @Test
    void eachRoleIsWrittenAsItIsAndANodeWithSipOffTakesNoCalls() {
        assertThat(BillingConfiguration.heartbeatRoles(new MockEnvironment())).isEqualTo(NodeRoles.BOTH);
        assertThat(BillingConfiguration.heartbeatRoles(new MockEnvironment().withProperty("tandem.roles", "sip"))).isEqualTo(NodeRoles.SIP);
        assertThat(BillingConfiguration.heartbeatRoles(new MockEnvironment().withProperty("tandem.roles", "media")
                .withProperty("tandem.sip.enabled", "false"))).isEqualTo(NodeRoles.MEDIA);
        assertThat(BillingConfiguration.heartbeatRoles(new MockEnvironment().withProperty("tandem.sip.enabled", "false")))
                .isEqualTo(NodeRoles.NONE);
        assertThat(NodeRoles.takesCalls(NodeRoles.BOTH)).isTrue();
        assertThat(NodeRoles.takesCalls(NodeRoles.SIP)).isTrue();
        assertThat(NodeRoles.takesCalls(NodeRoles.MEDIA)).isFalse();
        assertThat(NodeRoles.takesCalls(NodeRoles.NONE)).isFalse();
    }
}
