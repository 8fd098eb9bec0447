package io.tandem.softswitch.registrar;

/**
 * The registrar's figures for metrics and the console.
 *
 * @param bindings    bindings this node knows (its own and its peers')
 * @param ownBindings bindings whose flow this node holds
 * @param sync        cluster event counters
 */
public record RegistrarStats(int bindings, int ownBindings, ClusterSync.Counts sync) {
}
