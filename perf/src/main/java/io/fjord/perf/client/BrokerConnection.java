package io.fjord.perf.client;

import io.fjord.common.errors.Errors;
import io.fjord.perf.PerfException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.MessageReader;
import io.fjord.protocol.types.ProtocolException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One non-blocking TCP connection to one broker, with Kafka's framing: every request and response
 * is a 4-byte big-endian size followed by that many bytes.
 *
 * <pre>
 *  request:  size int32 | header v1: apiKey int16, apiVersion int16, correlationId int32, clientId string
 *                       |   (v2 for flexible versions adds a tagged-field section) | body
 *  response: size int32 | header v0: correlationId int32 (v1 adds tagged fields; ApiVersions is always v0) | body
 * </pre>
 *
 * Requests are pipelined: up to {@code maxInFlight} may await their responses at once (Kafka's
 * {@code max.in.flight.requests.per.connection}). Kafka answers in order on a connection, so the
 * in-flight requests form a FIFO and every response must carry the correlation id of its head; a
 * mismatch is a protocol failure that ends the run. Requests that expect no response (acks=0) sit
 * in a second FIFO until their last byte has left, then their listener hears {@code onSent}.
 *
 * <p>States: CONNECTING --(connect completes)--> CONNECTED --(ApiVersions answered, see
 * {@link PerfClient})--> READY; any I/O error or protocol failure throws a {@link PerfException}
 * and the run ends, so there is no reconnect state.
 *
 * <p>Owned by the thread that runs {@link PerfClient#poll}; not thread-safe.
 */
public final class BrokerConnection implements AutoCloseable {

    private static final int INITIAL_SEND_BYTES = 256 * 1024;
    private static final int INITIAL_RECEIVE_BYTES = 256 * 1024;
    private static final int RESPONSE_HEADER_MIN_BYTES = 4;

    enum State { CONNECTING, CONNECTED, READY }

    private final int nodeId;
    private final String address;
    private final String clientId;
    private final int maxInFlight;
    private final int maxResponseBytes;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final SendBuffer sendBuffer;
    private final ArrayDeque<InFlightRequest> awaitingResponse;
    private final ArrayDeque<InFlightRequest> awaitingFlush;
    private final RequestHeaderData requestHeader = new RequestHeaderData();
    private final ResponseHeaderData responseHeader = new ResponseHeaderData();
    private ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(INITIAL_RECEIVE_BYTES);
    /** Start of the first unprocessed frame in {@link #receiveBuffer}; data ends at its position. */
    private int receiveStart;
    private State state = State.CONNECTING;
    private NegotiatedVersions versions;
    private int nextCorrelationId;

    BrokerConnection(int nodeId, String host, int port, Selector selector, ConnectionConfig config) {
        this.nodeId = nodeId;
        this.address = host + ":" + port;
        this.clientId = config.clientId();
        this.maxInFlight = config.maxInFlight();
        this.maxResponseBytes = config.maxResponseBytes();
        this.sendBuffer = new SendBuffer(INITIAL_SEND_BYTES, config.maxRequestBytes() * (config.maxInFlight() + 1) + 1024);
        this.awaitingResponse = new ArrayDeque<>(config.maxInFlight());
        this.awaitingFlush = new ArrayDeque<>(config.maxInFlight());
        SocketChannel opened = null;
        try {
            opened = SocketChannel.open();
            opened.configureBlocking(false);
            // Requests are whole frames written at once; Nagle would only delay the small ones.
            opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = opened.connect(new InetSocketAddress(host, port));
            this.key = opened.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            this.channel = opened;
            if (connected) {
                state = State.CONNECTED;
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw new PerfException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    public int nodeId() {
        return nodeId;
    }

    public String address() {
        return address;
    }

    boolean isConnected() {
        return state != State.CONNECTING;
    }

    /** Ready for Produce/Fetch: connected and ApiVersions answered. */
    public boolean isReady() {
        return state == State.READY;
    }

    void markReady(NegotiatedVersions versions) {
        this.versions = versions;
        this.state = State.READY;
    }

    public NegotiatedVersions versions() {
        if (versions == null) {
            throw new IllegalStateException("ApiVersions not negotiated yet with " + address);
        }
        return versions;
    }

    /** True when one more request may be sent without exceeding the in-flight bound. */
    public boolean canSend() {
        return isConnected() && awaitingResponse.size() + awaitingFlush.size() < maxInFlight;
    }

    /**
     * Frames {@code body} with a request header and queues it; writes what the socket takes now.
     * With {@code expectResponse} false the listener hears {@code onSent} once the frame has left.
     */
    public InFlightRequest send(ApiMessageType api, short version, ApiMessage body, boolean expectResponse,
                                ResponseListener listener, Object attachment, long nowNs) {
        int correlationId = nextCorrelationId++;
        requestHeader.setRequestApiKey(api.apiKey()).setRequestApiVersion(version)
            .setCorrelationId(correlationId).setClientId(clientId);
        int start = sendBuffer.beginFrame();
        try {
            requestHeader.write(sendBuffer, api.requestHeaderVersion(version));
            body.write(sendBuffer, version);
        } catch (RuntimeException e) {
            sendBuffer.abortFrame(start);
            throw e;
        }
        sendBuffer.endFrame(start);
        InFlightRequest request = new InFlightRequest(correlationId, api, version, nowNs, listener, attachment, sendBuffer.bytesAppended());
        (expectResponse ? awaitingResponse : awaitingFlush).addLast(request);
        flush(nowNs);
        return request;
    }

    /** Handles a readiness event from the selector: connect completion, readable or writable. */
    void onSelected(long nowNs) {
        if (!key.isValid()) {
            throw new PerfException("connection to " + address + " was closed");
        }
        if (key.isConnectable()) {
            finishConnect();
        }
        if (key.isReadable()) {
            read(nowNs);
        }
        if (key.isValid() && key.isWritable()) {
            flush(nowNs);
        }
    }

    /** Throws when the oldest request has waited longer than {@code timeoutNs}. */
    void checkTimeout(long nowNs, long timeoutNs) {
        InFlightRequest oldest = awaitingResponse.peekFirst();
        if (oldest != null && nowNs - oldest.sentNs() > timeoutNs) {
            throw new PerfException("no answer from " + address + " to " + oldest.api().specName() + " v" + oldest.version()
                + " (correlation id " + oldest.correlationId() + ") within " + timeoutNs / 1_000_000 + " ms");
        }
    }

    private void finishConnect() {
        try {
            if (channel.finishConnect()) {
                state = State.CONNECTED;
                key.interestOps(SelectionKey.OP_READ | (sendBuffer.pendingBytes() > 0 ? SelectionKey.OP_WRITE : 0));
            }
        } catch (IOException e) {
            throw new PerfException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    private void flush(long nowNs) {
        if (state == State.CONNECTING) {
            return;
        }
        try {
            sendBuffer.flushTo(channel);
        } catch (IOException e) {
            throw new PerfException("lost the connection to " + address + " while sending: " + e.getMessage(), e);
        }
        int interest = SelectionKey.OP_READ | (sendBuffer.pendingBytes() > 0 ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != interest) {
            key.interestOps(interest);
        }
        while (!awaitingFlush.isEmpty() && awaitingFlush.peekFirst().endMark() <= sendBuffer.bytesFlushed()) {
            InFlightRequest sent = awaitingFlush.pollFirst();
            sent.listener().onSent(sent, nowNs);
        }
    }

    private void read(long nowNs) {
        while (true) {
            int read;
            try {
                read = channel.read(receiveBuffer);
            } catch (IOException e) {
                throw new PerfException("lost the connection to " + address + " while reading: " + e.getMessage(), e);
            }
            if (read < 0) {
                throw new PerfException("the broker at " + address + " closed the connection"
                    + (awaitingResponse.isEmpty() ? "" : " with " + awaitingResponse.size() + " request(s) unanswered, the oldest "
                    + awaitingResponse.peekFirst().api().specName() + " v" + awaitingResponse.peekFirst().version()));
            }
            boolean full = !receiveBuffer.hasRemaining();
            processFrames(nowNs);
            if (!full) {
                return;
            }
        }
    }

    /** Dispatches every complete frame in the receive buffer, then makes room for the rest of the next one. */
    private void processFrames(long nowNs) {
        while (true) {
            int buffered = receiveBuffer.position() - receiveStart;
            if (buffered == 0) {
                receiveBuffer.clear();
                receiveStart = 0;
                return;
            }
            if (buffered < 4) {
                makeRoom(4);
                return;
            }
            int size = receiveBuffer.getInt(receiveStart);
            if (size < RESPONSE_HEADER_MIN_BYTES || size > maxResponseBytes) {
                throw new PerfException("the broker at " + address + " sent a response frame of " + size
                    + " bytes; the limit is " + maxResponseBytes);
            }
            if (buffered < 4 + size) {
                makeRoom(4 + size);
                return;
            }
            dispatch(receiveBuffer.slice(receiveStart + 4, size), nowNs);
            receiveStart += 4 + size;
        }
    }

    /** Makes sure a frame of {@code frameBytes} fits from where it starts: moves it to the front or grows the buffer. */
    private void makeRoom(int frameBytes) {
        if (receiveBuffer.capacity() - receiveStart >= frameBytes) {
            return;
        }
        int end = receiveBuffer.position();
        if (receiveBuffer.capacity() >= frameBytes) {
            receiveBuffer.limit(end).position(receiveStart);
            receiveBuffer.compact();
        } else {
            // frameBytes was checked against maxResponseBytes, so growth is bounded by the limit.
            ByteBuffer grown = ByteBuffer.allocateDirect((int) Math.max(frameBytes, Math.min(2L * receiveBuffer.capacity(), maxResponseBytes + 4L)));
            ByteBuffer unprocessed = receiveBuffer.duplicate();
            unprocessed.limit(end).position(receiveStart);
            grown.put(unprocessed);
            receiveBuffer = grown;
        }
        receiveStart = 0;
    }

    private void dispatch(ByteBuffer frame, long nowNs) {
        InFlightRequest request = awaitingResponse.pollFirst();
        if (request == null) {
            throw new PerfException("the broker at " + address + " sent a response to no request");
        }
        MessageReader reader = new MessageReader(frame);
        ApiMessage response;
        try {
            responseHeader.read(reader, request.api().responseHeaderVersion(request.version()));
            if (responseHeader.correlationId() != request.correlationId()) {
                throw new PerfException("the broker at " + address + " answered correlation id " + responseHeader.correlationId()
                    + " where " + request.correlationId() + " (" + request.api().specName() + ") was expected");
            }
            response = request.api().newResponse();
            response.read(reader, bodyVersion(request, frame, reader.position()));
        } catch (ProtocolException e) {
            throw new PerfException("cannot decode the " + request.api().specName() + " v" + request.version()
                + " response from " + address + ": " + e.getMessage(), e);
        }
        request.listener().onResponse(request, response, nowNs);
    }

    /** The version the body is encoded in: the request's, except for KIP-511's ApiVersions fallback. */
    private static short bodyVersion(InFlightRequest request, ByteBuffer frame, int bodyStart) {
        // KIP-511: a broker that does not know our ApiVersions version answers in the v0 format with
        // UNSUPPORTED_VERSION and its own range; the error code comes first in every version.
        if (request.api() == ApiMessageType.API_VERSIONS && request.version() > 0 && frame.limit() - bodyStart >= 2
            && frame.getShort(bodyStart) == Errors.UNSUPPORTED_VERSION.code()) {
            return 0;
        }
        return request.version();
    }

    @Override
    public void close() {
        key.cancel();
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing at the end of a run or after a failed connect: nothing waits on this socket.
        }
    }

    @Override
    public String toString() {
        return "broker " + nodeId + " at " + address;
    }
}
