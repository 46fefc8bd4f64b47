/**
 * The data path: Vert.x frontends (HTTP/1.1, HTTPS with ALPN h2, WebSocket upgrades), the refusal
 * of requests that could smuggle, the choice of a backend through the sticky table, and the
 * forwarding itself with streamed bodies, connect retries and the 502/503/504 mapping.
 */
package io.tandem.proxy;
