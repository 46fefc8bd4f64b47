/**
 * The demo backend: a small web app with server-side, in-memory sessions that tests and failover
 * drills put behind Tandem to make session loss visible, plus echo, health, slow, streaming and
 * WebSocket endpoints. Callers see only {@link io.tandem.demo.DemoBackend}.
 */
package io.tandem.demo;
