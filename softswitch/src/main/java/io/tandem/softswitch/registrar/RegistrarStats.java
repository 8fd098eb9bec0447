package io.tandem.softswitch.registrar;

/**
 * The registrar's figures for metrics and the console.
 *
 * @param bindings        bindings this node knows (its own and its peers')
 * @param ownBindings     bindings whose flow this node holds
 * @param sync            cluster event counters
 * @param relay           what this node did as the holder relaying calls to registered flows
 * @param missedUnregistered attempts to a registered contact that found no binding any more (failed over like a 480)
 * @param missedFlowClosed attempts to a registered contact whose TCP/TLS connection had closed (failed over like a 480)
 */
public record RegistrarStats(int bindings, int ownBindings, ClusterSync.Counts sync, RelayCounts relay, long missedUnregistered,
                             long missedFlowClosed) {

    RegistrarStats(int bindings, int ownBindings, ClusterSync.Counts sync, FlowRelay.Counts relay, long missedUnregistered,
                   long missedFlowClosed) {
        this(bindings, ownBindings, sync, new RelayCounts(relay.relayed(), relay.refusedSeal(), relay.refusedNotRegistered(),
                relay.flowClosed(), relay.refusedNotFromFlow()), missedUnregistered, missedFlowClosed);
    }

    /**
     * @param relayed              messages relayed to or from a registered flow
     * @param refusedSeal          relay routes (or relayed answers) dropped because their seal does not verify
     * @param refusedNotRegistered dialog-creating requests dropped because the flow is not registered now
     *                             (or Max-Forwards ran out)
     * @param flowClosed           requests to a TCP/TLS flow whose connection had closed (an INVITE gets a 480)
     * @param refusedNotFromFlow   requests through the Record-Route entry facing a flow that are not in-dialog requests
     *                             from the flow's address (only the contact, inside its dialog, may send towards the
     *                             caller through it)
     */
    public record RelayCounts(long relayed, long refusedSeal, long refusedNotRegistered, long flowClosed, long refusedNotFromFlow) {
    }
}
