package io.fjord.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Measures when a starting broker is usable: the first TCP connect that succeeds (the listen
 * socket is bound) and the first ApiVersions request answered with error code 0 (the broker
 * actually serves Kafka requests). The second is the figure compared: Kafka binds its listener
 * before it finishes starting, so a bare connect would flatter it.
 *
 * <p>Writes ApiVersions v3 by hand so that no client library start-up sits inside the measurement:
 * <pre>
 * request : size int32 | api_key=18 int16 | api_version=3 int16 | correlation_id int32
 *           | client_id int16-length string | header tags uvarint(0)
 *           | client_software_name compact string | client_software_version compact string | tags 0
 * response: size int32 | correlation_id int32 | error_code int16 | ...   (ApiVersions answers with header v0)
 * </pre>
 * Called by the harness's driver thread; one probe per broker start.
 */
final class ReadinessProbe {

    /** Both instants in nanoseconds after {@code startNs}; listen &lt;= ready. */
    record Readiness(long listenNs, long readyNs) {
        double listenMs() {
            return listenNs / 1e6;
        }

        double readyMs() {
            return readyNs / 1e6;
        }
    }

    private static final short API_VERSIONS_KEY = 18;
    private static final short API_VERSIONS_VERSION = 3;
    private static final long RETRY_PAUSE_MS = 2;
    private static final int CORRELATION_ID = 7;

    private ReadinessProbe() {
    }

    /**
     * Polls 127.0.0.1:{@code port} until ApiVersions is answered, the process dies (throws) or
     * {@code timeoutMs} passes (throws).
     */
    static Readiness await(Process process, int port, long startNs, long timeoutMs) throws IOException, InterruptedException {
        long deadlineNs = startNs + timeoutMs * 1_000_000L;
        long listenNs = -1;
        while (System.nanoTime() < deadlineNs) {
            if (!process.isAlive()) {
                throw new IOException("broker exited with code " + process.exitValue() + " before serving requests on port " + port);
            }
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (listenNs < 0) {
                    listenNs = System.nanoTime() - startNs;
                }
                int remainingMs = (int) Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L);
                socket.setSoTimeout(remainingMs);
                if (apiVersionsAnswered(socket)) {
                    return new Readiness(listenNs, System.nanoTime() - startNs);
                }
            } catch (ConnectException | SocketTimeoutException e) {
                // Not listening yet, or listening but not serving within the deadline: try again.
            } catch (IOException e) {
                // Connection reset or closed while the broker finishes starting: try again.
            }
            Thread.sleep(RETRY_PAUSE_MS);
        }
        throw new IOException("broker did not answer ApiVersions on port " + port + " within " + timeoutMs + " ms");
    }

    private static boolean apiVersionsAnswered(Socket socket) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.write(apiVersionsRequest());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        if (size < 6) {
            return false;
        }
        int correlationId = in.readInt();
        short errorCode = in.readShort();
        return correlationId == CORRELATION_ID && errorCode == 0;
    }

    static byte[] apiVersionsRequest() {
        byte[] clientId = "fjord-bench-probe".getBytes(StandardCharsets.UTF_8);
        byte[] softwareName = "fjord-bench".getBytes(StandardCharsets.UTF_8);
        byte[] softwareVersion = "1".getBytes(StandardCharsets.UTF_8);
        int bodySize = 2 + 2 + 4 + 2 + clientId.length + 1 + 1 + softwareName.length + 1 + softwareVersion.length + 1;
        ByteBuffer buffer = ByteBuffer.allocate(4 + bodySize);
        buffer.putInt(bodySize);
        buffer.putShort(API_VERSIONS_KEY).putShort(API_VERSIONS_VERSION).putInt(CORRELATION_ID);
        buffer.putShort((short) clientId.length).put(clientId);
        buffer.put((byte) 0);
        // Compact strings: unsigned varint of length + 1; every length here is below 127.
        buffer.put((byte) (softwareName.length + 1)).put(softwareName);
        buffer.put((byte) (softwareVersion.length + 1)).put(softwareVersion);
        buffer.put((byte) 0);
        return buffer.array();
    }
}
