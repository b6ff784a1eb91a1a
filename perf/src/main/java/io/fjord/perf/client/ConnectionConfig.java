package io.fjord.perf.client;

/**
 * How fjord perf talks to brokers; immutable and validated on construction.
 *
 * @param clientId          the request header's client id
 * @param maxInFlight       requests awaiting an answer per connection (Kafka's {@code max.in.flight.requests.per.connection})
 * @param maxRequestBytes   the largest request this run builds (bounds each connection's send buffer)
 * @param maxResponseBytes  the largest response frame accepted; anything larger ends the run instead of allocating it
 * @param requestTimeoutMs  how long a request may wait for its answer (Kafka's {@code request.timeout.ms})
 */
public record ConnectionConfig(String clientId, int maxInFlight, int maxRequestBytes, int maxResponseBytes, int requestTimeoutMs) {

    public ConnectionConfig {
        if (maxInFlight < 1 || maxRequestBytes < 1024 || maxResponseBytes < 1024 || requestTimeoutMs < 1) {
            throw new IllegalArgumentException("invalid connection config " + maxInFlight + "/" + maxRequestBytes + "/"
                + maxResponseBytes + "/" + requestTimeoutMs);
        }
    }
}
