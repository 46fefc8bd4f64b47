/**
 * The admin HTTP API on its own address: bearer-token auth (constant-time), status, backends and
 * their operator states, sessions, TLS reload, Prometheus /metrics, and /healthz and /readyz.
 */
package io.tandem.admin;
