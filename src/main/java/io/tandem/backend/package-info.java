/**
 * The backend pool: each backend's admin state, health (active checks with rise/fall, passive
 * ejection) and in-flight count, and the selection of a backend for a new user (least outstanding
 * requests, weighted). Callers see {@link io.tandem.backend.BackendPool} and {@link io.tandem.backend.Backend}.
 */
package io.tandem.backend;
