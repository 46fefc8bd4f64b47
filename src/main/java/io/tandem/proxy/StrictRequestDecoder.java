package io.tandem.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Vert.x's HTTP/1 decoder with one rule changed: a request with both Transfer-Encoding: chunked
 * and Content-Length is refused instead of having its Content-Length silently dropped (Netty's
 * default, which RFC 9112 6.1 permits). A proxy that forwards such a request to a backend that reads
 * the other header is the classic CL.TE smuggling set-up, so Tandem answers 400 and closes.
 *
 * <p>Vert.x has no public hook for its decoder, so {@link #install} swaps it in the pipeline of each
 * new HTTP/1 connection, before the first request is read.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  static final String DECODER_NAME = "httpDecoder";

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(DecoderResult.failure(
        new IllegalArgumentException("both Transfer-Encoding and Content-Length")));
  }

  /** Returns false when the connection is not HTTP/1 (h2 has no such framing ambiguity). */
  static boolean install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    ChannelHandler current = pipeline.get(DECODER_NAME);
    if (!(current instanceof VertxHttpRequestDecoder) || current instanceof StrictRequestDecoder) {
      return false;
    }
    pipeline.replace(DECODER_NAME, DECODER_NAME, new StrictRequestDecoder(options));
    return true;
  }
}
