package io.tandem.config;

/**
 * A witness's whole configuration ({@code role: witness}): its name and the cluster it joins,
 * {@code cluster.peers} being the balancers. A witness votes for the majority rule and does
 * nothing else: no listener, no backend, no VIP, no admin API.
 */
public record WitnessConfig(String name, ClusterConfig cluster) {}
