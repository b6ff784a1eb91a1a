package io.fjord.broker;

import io.fjord.broker.server.FjordBroker;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.RequestHeaderData;
import io.fjord.protocol.message.ResponseHeaderData;
import io.fjord.protocol.types.ByteBufferMessageWriter;
import io.fjord.protocol.types.MessageReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated frames for every API the broker serves, over real sockets: each gets a
 * response or a closed connection — never a hang, an OOM or a dead broker — and a healthy
 * connection keeps being served throughout. The seed is printed on failure.
 */
class FrameFuzzIT {

    private static final long SEED = Long.getLong("fjord.fuzz.seed", 20261122L);
    private static final int FRAMES = 400;
    private static FjordBroker broker;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        broker = RawClient.startBroker("fjord-fuzz-", Map.of("socket.request.max.bytes", "65536"));
        port = broker.boundEndpoints().get(0).port();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static final List<ApiMessageType> TYPES = List.of(ApiMessageType.values());

    @Test
    void shouldSurviveRandomFramesForEveryApi() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        try (Socket healthy = new Socket("127.0.0.1", port)) {
            healthy.setSoTimeout(10_000);
            for (int i = 0; i < FRAMES; i++) {
                byte[] frame = randomFrame(random);
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write(frame);
                    socket.shutdownOutput();
                    assertThat(drainUntilClosed(socket)).as("frame %d of seed %d got a response or a close", i, SEED).isTrue();
                }
                if (i % 50 == 0) {
                    assertThat(apiVersions(healthy, i)).as("healthy connection after frame %d, seed %d", i, SEED).isZero();
                }
            }
        }
    }

    /** A valid header for a random API and version, then a random or truncated body. */
    private static byte[] randomFrame(SplittableRandom random) {
        ApiMessageType type = TYPES.get(random.nextInt(TYPES.size()));
        short version = (short) random.nextInt(type.lowestSupportedVersion(), type.highestSupportedVersion() + 1);
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(128);
        new RequestHeaderData().setRequestApiKey(type.apiKey()).setRequestApiVersion(version).setCorrelationId(random.nextInt())
                .setClientId("fuzz").write(writer, type.requestHeaderVersion(version));
        byte[] body = new byte[random.nextInt(0, 200)];
        random.nextBytes(body);
        if (random.nextBoolean() && body.length > 4) {
            // Plausible small counts and lengths at the start, which reach deeper into the decoders.
            body[0] = 0;
            body[1] = (byte) random.nextInt(0, 4);
        }
        writer.writeBytes(body);
        ByteBuffer payload = writer.toByteBuffer();
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.remaining());
        frame.putInt(payload.remaining()).put(payload);
        return frame.array();
    }

    /** Reads whatever comes until the broker closes (true) or nothing happens for the timeout (false). */
    private static boolean drainUntilClosed(Socket socket) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            // Either a response (the broker may answer and keep the connection open) or end of stream.
            socket.getInputStream().read(buffer);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static short apiVersions(Socket socket, int correlationId) throws IOException {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(64);
        new RequestHeaderData().setRequestApiKey(ApiMessageType.API_VERSIONS.apiKey()).setRequestApiVersion((short) 3)
                .setCorrelationId(correlationId).setClientId("healthy").write(writer, (short) 2);
        new ApiVersionsRequestData().setClientSoftwareName("fuzz").setClientSoftwareVersion("1").write(writer, (short) 3);
        ByteBuffer payload = writer.toByteBuffer();
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.remaining()).putInt(payload.remaining()).put(payload);
        socket.getOutputStream().write(frame.array());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        MessageReader reader = new MessageReader(ByteBuffer.wrap(response));
        ResponseHeaderData header = new ResponseHeaderData();
        header.read(reader, (short) 0);
        ApiVersionsResponseData body = new ApiVersionsResponseData();
        body.read(reader, (short) 3);
        return body.errorCode();
    }
}
