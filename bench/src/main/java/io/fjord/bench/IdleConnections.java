package io.fjord.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Many mostly idle client connections, as a fleet of quiet clients holds them: opens
 * {@code --connections} TCP connections to one broker, on each sends ApiVersions v3 and Metadata
 * v12 for {@code --topic} and checks the answers, then keeps them open, sending one Metadata
 * request per connection every {@code --request-interval-seconds} (spread evenly, like clients
 * refreshing metadata; 0 = silent). Requests are encoded and responses decoded with Apache
 * kafka-clients' own message classes, so neither broker is judged by Fjord's codec.
 *
 * <p>Prints, once all handshakes are done (timed from the first connect after one uncounted warm-up
 * connection):
 * <pre>RESULT connections=N opened=K failed=F open_ms=T</pre>
 * (and, when a connection could not be opened, why, with this process's open-files limit). Then it
 * waits for its stdin to close (the driver's signal; at most {@code --max-hold-seconds}), checks
 * every connection with one more ApiVersions and prints
 * <pre>FINAL answered_at_end=A lost=L idle_requests=R</pre>
 * where {@code lost} counts connections the broker closed or stopped answering while idle.
 *
 * <p>One virtual thread per connection (blocking socket I/O, parked while idle); at most
 * {@code --max-pending} connections are in their handshake at once. Runs as its own JVM, started by
 * {@link IdleConnectionsCase}.
 */
public final class IdleConnections {

    private static final short API_VERSIONS_VERSION = 3;
    private static final short METADATA_VERSION = 12;
    private static final String CLIENT_ID = "fjord-bench-idle";
    private static final int MAX_RESPONSE_BYTES = 16 << 20;
    private static final int MAX_FAILURES_SHOWN = 5;

    private final InetSocketAddress address;
    private final String topic;
    private final int connections;
    private final long requestIntervalMs;
    private final int timeoutMs;
    private final Semaphore handshakes;
    private final CountDownLatch opened;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished;
    private final AtomicInteger openedOk = new AtomicInteger();
    private final AtomicInteger openFailed = new AtomicInteger();
    private final AtomicInteger answeredAtEnd = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final AtomicInteger idleRequests = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    private IdleConnections(InetSocketAddress address, String topic, int connections, int maxPending, long requestIntervalMs, int timeoutMs) {
        this.address = address;
        this.topic = topic;
        this.connections = connections;
        this.requestIntervalMs = requestIntervalMs;
        this.timeoutMs = timeoutMs;
        this.handshakes = new Semaphore(maxPending);
        this.opened = new CountDownLatch(connections);
        this.finished = new CountDownLatch(connections);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of());
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String topic = args.string("topic", "bench");
        int connections = args.intValue("connections", 5_000);
        int maxPending = args.intValue("max-pending", 32);
        double intervalSeconds = args.doubleValue("request-interval-seconds", 30);
        int timeoutMs = args.intValue("timeout-ms", 30_000);
        long openTimeoutMs = args.longValue("open-timeout-ms", 600_000);
        long maxHoldSeconds = args.longValue("max-hold-seconds", 3_600);
        args.ensureAllUsed();
        int colon = bootstrap.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
        new IdleConnections(address, topic, connections, maxPending, (long) (intervalSeconds * 1000), timeoutMs)
            .run(openTimeoutMs, maxHoldSeconds);
    }

    private void run(long openTimeoutMs, long maxHoldSeconds) throws IOException, InterruptedException {
        warmUp();
        long startNs = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            int index = i;
            Thread.ofVirtual().name("connection-" + i).start(() -> connection(index));
        }
        boolean allDone = opened.await(openTimeoutMs, TimeUnit.MILLISECONDS);
        double openMs = (System.nanoTime() - startNs) / 1e6;
        System.out.printf(Locale.ROOT, "RESULT connections=%d opened=%d failed=%d open_ms=%.1f%n", connections, openedOk.get(),
            openFailed.get() + (allDone ? 0 : connections - openedOk.get() - openFailed.get()), openMs);
        if (!allDone || openFailed.get() > 0) {
            System.out.printf("could not open %d of %d connections to %s (open files limit of this process: %s); first failures:%n",
                connections - openedOk.get(), connections, address, ProcStats.openFilesLimit());
            failures.forEach(f -> System.out.println("  " + f));
        }
        System.out.flush();
        awaitStdinClosed(maxHoldSeconds);
        stop.countDown();
        finished.await(openTimeoutMs, TimeUnit.MILLISECONDS);
        System.out.printf(Locale.ROOT, "FINAL answered_at_end=%d lost=%d idle_requests=%d%n", answeredAtEnd.get(), lost.get(),
            idleRequests.get());
        System.out.flush();
    }

    /**
     * One uncounted connection through the whole handshake first, so that loading and compiling the
     * client's message classes is not inside {@code open_ms}. Throws when even that fails.
     */
    private void warmUp() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            Connection connection = new Connection(socket);
            connection.checkApiVersions();
            connection.checkMetadata(topic);
        }
    }

    /** One connection's life: handshake, idle with periodic Metadata, a last ApiVersions when told to stop. */
    private void connection(int index) {
        Connection connection = open(index);
        try {
            if (connection != null) {
                idle(connection, index);
                closeQuietly(connection);
            }
        } finally {
            finished.countDown();
        }
    }

    /** Connects and checks ApiVersions and Metadata; null (failure recorded) when that fails. */
    private Connection open(int index) {
        boolean acquired = false;
        Socket socket = new Socket();
        try {
            handshakes.acquire();
            acquired = true;
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            Connection connection = new Connection(socket);
            connection.checkApiVersions();
            connection.checkMetadata(topic);
            openedOk.incrementAndGet();
            return connection;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            openFailed.incrementAndGet();
            if (failures.size() < MAX_FAILURES_SHOWN) {
                failures.add("connection " + (index + 1) + " of " + connections + ": " + e);
            }
            return null;
        } catch (InterruptedException e) {
            closeQuietly(socket);
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (acquired) {
                handshakes.release();
            }
            opened.countDown();
        }
    }

    private void idle(Connection connection, int index) {
        try {
            // Spread the periodic requests evenly over the interval instead of sending them in bursts.
            long delayMs = requestIntervalMs == 0 ? Long.MAX_VALUE : requestIntervalMs * index / connections;
            while (!stop.await(delayMs, TimeUnit.MILLISECONDS)) {
                connection.checkMetadata(topic);
                idleRequests.incrementAndGet();
                delayMs = requestIntervalMs;
            }
            connection.checkApiVersions();
            answeredAtEnd.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            lost.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitStdinClosed(long maxHoldSeconds) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // Anything written is ignored: only the end of the stream counts.
                }
            } catch (IOException e) {
                // A broken stdin means the driver is gone: finish as if it had closed it.
            }
            closed.countDown();
        });
        closed.await(maxHoldSeconds, TimeUnit.SECONDS);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Already failed or finished; nothing more to learn from the close.
        }
    }

    /** One socket with blocking, one-at-a-time request/response exchanges (size-prefixed frames). */
    private static final class Connection implements Closeable {

        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;
        private int correlationId;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        }

        void checkApiVersions() throws IOException {
            ApiVersionsResponse response = (ApiVersionsResponse) exchange(new ApiVersionsRequest.Builder().build(API_VERSIONS_VERSION));
            Errors error = Errors.forCode(response.data().errorCode());
            if (error != Errors.NONE) {
                throw new IOException("ApiVersions answered " + error);
            }
        }

        void checkMetadata(String topic) throws IOException {
            MetadataResponse response = (MetadataResponse) exchange(
                new MetadataRequest.Builder(List.of(topic), false).build(METADATA_VERSION));
            Map<String, Errors> errors = response.errors();
            if (!errors.isEmpty()) {
                throw new IOException("Metadata answered " + errors);
            }
        }

        private AbstractResponse exchange(AbstractRequest request) throws IOException {
            RequestHeader header = new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, ++correlationId);
            ByteBuffer frame = request.serializeWithHeader(header);
            out.writeInt(frame.remaining());
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.write(bytes);
            out.flush();
            int size = in.readInt();
            if (size <= 0 || size > MAX_RESPONSE_BYTES) {
                throw new IOException("response size " + size + " to " + request.apiKey());
            }
            byte[] response = new byte[size];
            in.readFully(response);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
