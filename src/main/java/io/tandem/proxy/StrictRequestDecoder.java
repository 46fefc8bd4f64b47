package io.tandem.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
  private static final String MALFORMED_BODY = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
      + "Content-Length: 27\r\nConnection: close\r\n\r\n400 malformed chunked body\n";

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      // A failed request head (too long, bad line) is a FullHttpRequest: Vert.x answers those
      // itself with 400, 414 or 431. Only a failed body chunk needs this path.
      if (out.get(i) instanceof HttpContent content && !(content instanceof HttpRequest)
          && content.decoderResult().isFailure()) {
        // A body whose chunking does not parse: Vert.x would only close the connection, leaving
        // the client to guess. The response has not begun (the backend is still reading this
        // body), so a plain 400 goes straight to the socket, then the connection closes.
        ctx.writeAndFlush(Unpooled.copiedBuffer(MALFORMED_BODY, StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
      }
    }
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
