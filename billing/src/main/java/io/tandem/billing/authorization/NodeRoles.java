package io.tandem.billing.authorization;

import java.util.Set;

/**
 * What a node does, as its heartbeat row says ({@code cluster_node.roles}): {@link #BOTH} (SIP and its own
 * relay), {@link #SIP} (signalling, media on media nodes), {@link #MEDIA} (a relay for signalling nodes, no SIP)
 * or {@link #NONE} (console and API only). Cluster-wide CPS and call limits are shared among the nodes that take
 * calls: a media-only or console-only node admits none, so counting it would shrink every node's share.
 */
public final class NodeRoles {

    public static final String BOTH = "both";
    public static final String SIP = "sip";
    public static final String MEDIA = "media";
    public static final String NONE = "none";

    private static final Set<String> ALL = Set.of(BOTH, SIP, MEDIA, NONE);

    private NodeRoles() {
    }

    /** Whether a node with these roles takes SIP calls (and so a share of cluster-wide limits). */
    public static boolean takesCalls(String roles) {
        return BOTH.equals(roles) || SIP.equals(roles);
    }

    static String checked(String roles) {
        if (!ALL.contains(roles)) {
            throw new IllegalArgumentException("node roles must be one of " + ALL + ", not '" + roles + "'");
        }
        return roles;
    }
}
