import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of a JVM proxy on this machine, for test-cluster/bench/proxy: plain Netty (the
 * transport and HTTP/1 codec Tandem runs on, from target/tandem.jar), with none of Vert.x's layers
 * and none of Tandem's features but a sticky cookie (insert when absent, route by it when sent).
 * Each client connection gets its own connection per backend on its own event loop; requests and
 * responses stream through as Netty parses them, flushed once per read batch. The transport is
 * Tandem's default, io_uring, or epoll with -Dfloor.transport=epoll (as Tandem's --transport).
 *
 * <p>Not a product: a reference, like the "direct" row. The gap between this row and Tandem's is
 * what the Vert.x layers and Tandem's work cost; the gap between this row and HAProxy's is what a
 * thin path on Netty could at best win.
 *
 * <p>Usage: java -cp target/tandem.jar test-cluster/bench/NettyFloor.java PORT THREADS BACKEND_PORT...
 * (everything on 127.0.0.1).
 */
public final class NettyFloor {
  private static final String COOKIE = "FLOOR=s";

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 3) {
      System.err.println("usage: NettyFloor PORT THREADS BACKEND_PORT...");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int[] backends = new int[args.length - 2];
    for (int i = 0; i < backends.length; i++) {
      backends[i] = Integer.parseInt(args[i + 2]);
    }
    boolean uring = !"epoll".equals(System.getProperty("floor.transport", "io_uring"));
    if (uring && !IoUring.isAvailable()) {
      System.err.println("netty-floor: io_uring is not available here: " + IoUring.unavailabilityCause());
      System.exit(2);
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
        uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
    Class<? extends ServerSocketChannel> serverClass =
        uring ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
    Class<? extends SocketChannel> clientClass = uring ? IoUringSocketChannel.class : EpollSocketChannel.class;
    AtomicInteger roundRobin = new AtomicInteger();
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(serverClass)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new Front(backends, roundRobin, clientClass));
          }
        })
        .bind("127.0.0.1", port).sync().channel();
    System.out.println("netty-floor: listening on 127.0.0.1:" + port + ", " + threads + " event loops, "
        + (uring ? "io_uring" : "epoll"));
    server.closeFuture().sync();
  }

  /** One client connection: picks a backend per request and relays to that backend's connection. */
  static final class Front extends ChannelInboundHandlerAdapter {
    private final int[] backends;
    private final AtomicInteger roundRobin;
    private final Class<? extends SocketChannel> clientClass;
    private final Channel[] out;
    private final ArrayDeque<Object>[] pending; // written before the backend connection was up
    private Channel front;
    private int current = -1;
    private final ArrayDeque<Boolean> insert = new ArrayDeque<>(); // per request in flight, in order

    @SuppressWarnings("unchecked")
    Front(int[] backends, AtomicInteger roundRobin, Class<? extends SocketChannel> clientClass) {
      this.backends = backends;
      this.roundRobin = roundRobin;
      this.clientClass = clientClass;
      this.out = new Channel[backends.length];
      this.pending = new ArrayDeque[backends.length];
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      front = ctx.channel();
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest req) {
        String cookie = req.headers().get(HttpHeaderNames.COOKIE);
        int at = cookie == null ? -1 : cookie.indexOf(COOKIE);
        int chosen = -1;
        if (at >= 0 && at + COOKIE.length() < cookie.length()) {
          int n = cookie.charAt(at + COOKIE.length()) - '0';
          chosen = n >= 0 && n < backends.length ? n : -1;
        }
        insert.add(chosen < 0);
        current = chosen >= 0 ? chosen : Math.floorMod(roundRobin.getAndIncrement(), backends.length);
      }
      if (current < 0) {
        ReferenceCountUtil.release(msg);
        return;
      }
      send(ctx, current, msg);
    }

    private void send(ChannelHandlerContext ctx, int b, Object msg) {
      Channel c = out[b];
      if (c != null && c.isActive()) {
        c.write(msg);
        return;
      }
      if (pending[b] == null) {
        pending[b] = new ArrayDeque<>();
        pending[b].add(msg);
        ChannelFuture f = new Bootstrap()
            .group(ctx.channel().eventLoop())
            .channel(clientClass)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new Back(Front.this, b));
              }
            })
            .connect("127.0.0.1", backends[b]);
        out[b] = f.channel();
        f.addListener(done -> {
          ArrayDeque<Object> q = pending[b];
          pending[b] = null;
          if (!done.isSuccess()) {
            q.forEach(ReferenceCountUtil::release);
            front.close();
            return;
          }
          q.forEach(m -> out[b].write(m));
          out[b].flush();
        });
      } else {
        pending[b].add(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      for (Channel c : out) {
        if (c != null && c.isActive()) {
          c.flush();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      for (Channel c : out) {
        if (c != null) {
          c.close();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    void fromBackend(int b, Object msg) {
      if (msg instanceof HttpResponse res) {
        Boolean ins = insert.poll();
        if (ins != null && ins) {
          res.headers().add(HttpHeaderNames.SET_COOKIE, COOKIE + b + "; Path=/");
        }
      }
      front.write(msg);
    }
  }

  /** One backend connection of one client connection: relays responses back. */
  static final class Back extends ChannelInboundHandlerAdapter {
    private final Front front;
    private final int backend;

    Back(Front front, int backend) {
      this.front = front;
      this.backend = backend;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      front.fromBackend(backend, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      front.front.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      front.front.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
