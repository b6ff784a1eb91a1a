package io.fjord.broker.network;

import io.fjord.broker.config.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: one acceptor thread, {@code num.network.threads} event loops (native epoll when
 * available, NIO otherwise), and per connection the pipeline
 * {@code idle timer -> length-prefixed frame decoder -> KafkaRequestHandler}.
 *
 * <p>Frames are an int32 size and that many bytes. A size above {@code socket.request.max.bytes} or
 * below zero closes the connection before anything is buffered for it (fail fast); the decoder's
 * buffer grows only with bytes actually received.
 */
public final class SocketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    /** What the server needs to know to bind; built from the broker config. */
    public record Settings(List<Endpoint> listeners, int networkThreads, int maxRequestBytes, long idleTimeoutMs,
                           int sendBufferBytes, int receiveBufferBytes, String tcpCongestionControl) {
    }

    private final Settings settings;
    private final ApiRegistry registry;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<Endpoint> boundEndpoints = new ArrayList<>();

    public SocketServer(Settings settings, ApiRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    /** Binds every listener; returns the endpoints actually bound (port 0 replaced by the real port). */
    public List<Endpoint> start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        String congestion = settings.tcpCongestionControl();
        if (!congestion.isEmpty() && !epoll) {
            throw new IllegalStateException("socket.tcp.congestion.control=" + congestion
                + " needs Netty's epoll transport (Linux), which is not available here: " + Epoll.unavailabilityCause());
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fjord-acceptor"), ioFactory);
        workerGroup = new MultiThreadIoEventLoopGroup(settings.networkThreads(), new DefaultThreadFactory("fjord-network"), ioFactory);
        for (Endpoint endpoint : settings.listeners()) {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer(endpoint));
            if (settings.sendBufferBytes() > 0) {
                bootstrap.childOption(ChannelOption.SO_SNDBUF, settings.sendBufferBytes());
            }
            if (settings.receiveBufferBytes() > 0) {
                bootstrap.childOption(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes());
            }
            if (!congestion.isEmpty()) {
                // On the listening socket, before it listens: accepted connections inherit it.
                bootstrap.option(TcpCongestionControl.OPTION, TcpCongestionControl.value(congestion));
            }
            Channel channel;
            try {
                channel = bootstrap.bind(endpoint.bindHost(), endpoint.port()).sync().channel();
            } catch (ChannelException e) {
                // Binding fails with a BindException; a ChannelException is an option the kernel refused.
                throw congestion.isEmpty() ? e : TcpCongestionControl.refused(congestion, e.getMessage());
            }
            serverChannels.add(channel);
            if (!congestion.isEmpty()) {
                TcpCongestionControl.verify(channel, congestion);
            }
            int port = ((InetSocketAddress) channel.localAddress()).getPort();
            boundEndpoints.add(endpoint.withPort(port));
            LOG.info("Listening on {}://{}:{} ({}{})", endpoint.listenerName(), endpoint.bindHost(), port, epoll ? "epoll" : "nio",
                epoll ? ", TCP congestion control " + TcpCongestionControl.current(channel)
                    + (congestion.isEmpty() ? " (the machine's default)" : " (socket.tcp.congestion.control)") : "");
        }
        return List.copyOf(boundEndpoints);
    }

    private ChannelInitializer<SocketChannel> initializer(Endpoint endpoint) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (settings.idleTimeoutMs() > 0) {
                    channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS));
                }
                channel.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(settings.maxRequestBytes(), 0, 4, 0, 4, true));
                channel.pipeline().addLast("requests", new KafkaRequestHandler(registry, endpoint));
            }
        };
    }

    @Override
    public void close() {
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
