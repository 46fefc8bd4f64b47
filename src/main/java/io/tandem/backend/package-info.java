/**
 * The backend pool: each backend's admin state, health (active checks with rise/fall, passive
 * ejection) and in-flight count, and the selection of a backend for a new user (least outstanding
 * requests, weighted). Callers see {@link io.tandem.backend.BackendPool}, {@link io.tandem.backend.Backend}
 * and {@link io.tandem.backend.HealthChecker}, which does the rise/fall counting and hands the pool
 * only its verdicts.
 */
package io.tandem.backend;
