/**
 * Metrics in Prometheus naming, on one Micrometer registry per node: the data path's counters and
 * histograms, backend and sticky gauges, and the JVM's own. Read by the admin API's /metrics.
 */
package io.tandem.metrics;
