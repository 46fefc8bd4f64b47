/**
 * Sticky sessions: the table from a user's key (learned cookie value, inserted cookie value, or
 * client address) to the backend it is bound to, with idle expiry on an injected clock; and the
 * policy that reads keys from requests and learns them from responses. The cluster replicates the
 * table through {@link io.tandem.sticky.StickyTable.Listener}.
 */
package io.tandem.sticky;
