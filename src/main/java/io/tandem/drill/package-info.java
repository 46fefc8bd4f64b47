/**
 * Drill tooling shipped in the jar: a bounded client load of many users, each with its own session
 * on the demo backend, that checks every user's count keeps going and measures the longest gap
 * without a good answer. The failover drills and the demo's measurements run it.
 */
package io.tandem.drill;
