package io.fjord.broker;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.server.FjordBroker;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.ByteBufferMessageWriter;
import io.fjord.protocol.types.MessageReader;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** A client that speaks the wire protocol by hand over a plain socket, one request at a time or pipelined. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private int correlationId;

    RawClient(FjordBroker broker) throws IOException {
        this(broker.boundEndpoints().get(0).port());
    }

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
    }

    /** A broker on an ephemeral loopback port with a fresh data dir, configured by {@code overrides}. */
    static FjordBroker startBroker(String dirPrefix, Map<String, String> overrides) throws IOException {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("listeners", "PLAINTEXT://127.0.0.1:0");
        config.put("log.dirs", Files.createTempDirectory(dirPrefix).toString());
        return FjordBroker.start(BrokerConfig.parse(config));
    }

    /** A request frame: size, header (the version the API uses at {@code version}) and body. */
    static byte[] frame(ApiMessageType type, short version, int correlationId, ApiMessage body) {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(256);
        new RequestHeaderData().setRequestApiKey(type.apiKey()).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("raw-test")
                .write(writer, type.requestHeaderVersion(version));
        body.write(writer, version);
        ByteBuffer bytes = writer.toByteBuffer();
        ByteBuffer framed = ByteBuffer.allocate(4 + bytes.remaining());
        framed.putInt(bytes.remaining()).put(bytes);
        return framed.array();
    }

    /** One response frame's body (header included). */
    static ByteBuffer readFrame(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /** Sends {@code request} without waiting for its response. */
    void send(ApiMessageType type, short version, ApiMessage request) throws IOException {
        socket.getOutputStream().write(frame(type, version, ++correlationId, request));
    }

    /** Reads the next response into {@code response}. */
    <T extends ApiMessage> T receive(ApiMessageType type, short version, T response) throws IOException {
        MessageReader reader = new MessageReader(readFrame(socket));
        new ResponseHeaderData().read(reader, type.responseHeaderVersion(version));
        response.read(reader, version);
        return response;
    }

    <T extends ApiMessage> T call(ApiMessageType type, short version, ApiMessage request, T response) throws IOException {
        send(type, version, request);
        return receive(type, version, response);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
