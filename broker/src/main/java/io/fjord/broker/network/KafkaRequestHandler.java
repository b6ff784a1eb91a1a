package io.fjord.broker.network;

import io.fjord.broker.config.Endpoint;
import io.fjord.broker.handler.ApiHandler;
import io.fjord.broker.handler.ApiVersionsHandler;
import io.fjord.common.Invariants;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.MessageReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Turns request frames into handler calls and handler results into response frames, one instance
 * per connection, confined to that connection's event loop.
 *
 * <p>Requests are decoded and dispatched as they arrive (clients pipeline); responses go out
 * strictly in request order: each request takes a slot in {@link #inFlight}, and a slot is written
 * only when every slot before it has been. At most {@link #MAX_IN_FLIGHT} requests wait per
 * connection; beyond that the connection stops reading until responses drain.
 *
 * <p>Like Apache Kafka: an unknown API key, or a version outside the accepted range, closes the
 * connection without a response — except ApiVersions, whose unknown newer versions get a v0
 * UNSUPPORTED_VERSION answer (KIP-511). A frame that does not decode closes the connection,
 * logged once; other connections are unaffected.
 */
public final class KafkaRequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestHandler.class);
    static final int MAX_IN_FLIGHT = 128;

    private final ApiRegistry registry;
    private final Endpoint listener;
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    /** Inside a read burst: responses completed now are flushed once, at channelReadComplete. */
    private boolean reading;
    private boolean flushPending;

    /** A request waiting for its response; {@code done} once the response (or "none") is known. */
    private static final class Slot {
        final ApiMessageType apiType;
        final short apiVersion;
        final int correlationId;
        boolean done;
        ApiMessage response;
        Throwable failure;

        Slot(ApiMessageType apiType, short apiVersion, int correlationId) {
            this.apiType = apiType;
            this.apiVersion = apiVersion;
            this.correlationId = correlationId;
        }
    }

    public KafkaRequestHandler(ApiRegistry registry, Endpoint listener) {
        this.registry = registry;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        reading = true;
        ByteBuf frame = (ByteBuf) message;
        try {
            handleFrame(context, frame.nioBuffer());
        } catch (RuntimeException e) {
            closeWithReason(context, "cannot decode request frame: " + e);
        } finally {
            frame.release();
        }
    }

    /**
     * One socket read often carries several pipelined requests (a producer keeps up to five in
     * flight): their responses leave in one flush, i.e. one send syscall, instead of one each.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        reading = false;
        if (flushPending) {
            flushPending = false;
            context.flush();
        }
        context.fireChannelReadComplete();
    }

    private void handleFrame(ChannelHandlerContext context, ByteBuffer frame) {
        if (frame.remaining() < 8) {
            closeWithReason(context, "request frame of " + frame.remaining() + " bytes is shorter than a request header");
            return;
        }
        short apiKey = frame.getShort(frame.position());
        short apiVersion = frame.getShort(frame.position() + 2);
        int correlationId = frame.getInt(frame.position() + 4);
        ApiHandler handler = registry.handler(apiKey);
        if (handler == null) {
            closeWithReason(context, "unsupported api key " + apiKey);
            return;
        }
        ApiMessageType apiType = handler.apiType();
        if (apiType == ApiMessageType.API_VERSIONS && apiVersion > handler.maxVersion()) {
            // KIP-511: answer an unknown ApiVersions version in v0 format, behind a v0 header.
            Slot slot = new Slot(apiType, (short) 0, correlationId);
            slot.done = true;
            slot.response = ((ApiVersionsHandler) handler).unsupportedVersionResponse();
            inFlight.addLast(slot);
            drain(context);
            return;
        }
        if (apiVersion < handler.minAcceptedVersion() || apiVersion > handler.maxVersion()) {
            closeWithReason(context, apiType + " version " + apiVersion + " is outside the supported range "
                    + handler.minAcceptedVersion() + "-" + handler.maxVersion());
            return;
        }
        MessageReader reader = new MessageReader(frame);
        RequestHeaderData header = new RequestHeaderData();
        header.read(reader, apiType.requestHeaderVersion(apiVersion));
        ApiMessage request = apiType.newRequest();
        request.read(reader, apiVersion);

        RequestContext requestContext = new RequestContext(apiType, apiVersion, correlationId, header.clientId(),
                listener, context.channel().remoteAddress(), System.nanoTime());
        Slot slot = new Slot(apiType, apiVersion, correlationId);
        inFlight.addLast(slot);
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            context.channel().config().setAutoRead(false);
        }
        CompletableFuture<ApiMessage> future;
        try {
            future = handler.handle(requestContext, request);
        } catch (RuntimeException e) {
            LOG.error("[{}] {} v{} from {} failed; closing the connection", listener.listenerName(), apiType,
                    apiVersion, context.channel().remoteAddress(), e);
            context.close();
            return;
        }
        if (future.isDone()) {
            complete(context, slot, future.getNow(null), null);
        } else {
            future.whenComplete((response, failure) -> {
                if (context.executor().inEventLoop()) {
                    complete(context, slot, response, failure);
                } else {
                    context.executor().execute(() -> complete(context, slot, response, failure));
                }
            });
        }
    }

    private void complete(ChannelHandlerContext context, Slot slot, ApiMessage response, Throwable failure) {
        slot.done = true;
        slot.response = response;
        slot.failure = failure;
        drain(context);
    }

    private void drain(ChannelHandlerContext context) {
        boolean wrote = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
            Slot slot = inFlight.pollFirst();
            if (slot.failure != null) {
                LOG.error("[{}] {} v{} from {} failed; closing the connection", listener.listenerName(), slot.apiType,
                        slot.apiVersion, context.channel().remoteAddress(), slot.failure);
                inFlight.clear();
                context.close();
                return;
            }
            if (slot.response != null && context.channel().isActive()) {
                writeResponse(context, slot);
                wrote = true;
            }
        }
        if (wrote) {
            if (reading) {
                flushPending = true;
            } else {
                context.flush();
            }
        }
        if (inFlight.size() < MAX_IN_FLIGHT / 2 && !context.channel().config().isAutoRead()) {
            context.channel().config().setAutoRead(true);
        }
    }

    private void writeResponse(ChannelHandlerContext context, Slot slot) {
        short headerVersion = slot.apiType.responseHeaderVersion(slot.apiVersion);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(slot.correlationId);
        int headerBytes = header.size(headerVersion);
        int bodyBytes = slot.response.size(slot.apiVersion);
        int frameBytes = headerBytes + bodyBytes;
        Invariants.check(frameBytes >= 0, "response frame size overflow for %s", slot.apiType);
        NettyMessageWriter writer = new NettyMessageWriter(context.alloc(), 4 + frameBytes);
        try {
            writer.writeInt32(frameBytes);
            header.write(writer, headerVersion);
            slot.response.write(writer, slot.apiVersion);
        } catch (RuntimeException e) {
            writer.discard();
            throw e;
        }
        writer.flushTo(context);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            LOG.debug("[{}] closing idle connection from {}", listener.listenerName(), context.channel().remoteAddress());
            context.close();
            return;
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        closeWithReason(context, cause.toString());
    }

    private void closeWithReason(ChannelHandlerContext context, String reason) {
        if (context.channel().isActive()) {
            LOG.info("[{}] closing connection from {}: {}", listener.listenerName(), context.channel().remoteAddress(), reason);
        }
        inFlight.clear();
        context.close();
    }
}
