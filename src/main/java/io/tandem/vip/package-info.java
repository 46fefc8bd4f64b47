/**
 * The floating IP: drivers that take and release it ({@code bind} here: the MASTER binds the VIP
 * socket itself), and the takeover guard that makes sure a live peer does not still hold it.
 */
package io.tandem.vip;
