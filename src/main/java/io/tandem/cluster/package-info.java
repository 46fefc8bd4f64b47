/**
 * The pair: the JGroups channel and its stack, node status broadcast, the VRRP-style election of one
 * MASTER, and the replication of the sticky table (batched deltas, full state on join, merge after a
 * partition), and the witness: a third member that only votes for the majority rule ({@link
 * io.tandem.cluster.Quorum}). JGroups callbacks hop onto the node's Vert.x context before they touch
 * state.
 */
package io.tandem.cluster;
