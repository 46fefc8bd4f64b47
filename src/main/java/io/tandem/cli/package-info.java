/**
 * {@code tandemctl}, the operator's command: a thin, blocking client of one node's admin API that
 * prints the pair at a glance (or a stable JSON for scripts) and flips backends' operator states.
 * Exit codes: 0 done, 1 refused or failed, 2 bad arguments, 3 unreachable or unauthorized.
 */
package io.tandem.cli;
