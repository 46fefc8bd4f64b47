/** Small pieces of HTTP client use shared by the data path, the takeover guard and the drill's clients. */
package io.tandem.http;
