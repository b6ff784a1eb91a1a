package io.fjord.perf.consume;

import io.fjord.perf.BrokerAddress;

/**
 * Everything {@code fjord perf consume} was asked to do, validated. Names follow Kafka's consumer
 * configs ({@code fetch.max.bytes} → {@code fetchMaxBytes}). Immutable.
 *
 * @param timeoutMs how long the run may go without receiving a record before it gives up
 *                  (ConsumerPerformance's {@code --timeout})
 * @param fetchSessions whether to fetch through an incremental fetch session (KIP-227), as Kafka's
 *                      Java consumer does, or list every partition in every request, as librdkafka does
 */
public record ConsumeConfig(BrokerAddress bootstrap, String topic, long numRecords, int fetchMaxBytes,
                            int maxPartitionFetchBytes, int fetchMaxWaitMs, long timeoutMs, boolean checkCrc,
                            int requestTimeoutMs, String clientId, long reportIntervalMs, boolean fetchSessions) {

    public ConsumeConfig {
        check(topic != null && !topic.isEmpty(), "--topic must not be empty");
        check(numRecords >= 1, "--num-records must be at least 1, was " + numRecords);
        check(fetchMaxBytes >= 1024, "--fetch-max-bytes must be at least 1024, was " + fetchMaxBytes);
        check(maxPartitionFetchBytes >= 1024, "--max-partition-fetch-bytes must be at least 1024, was " + maxPartitionFetchBytes);
        check(fetchMaxWaitMs >= 0, "--fetch-max-wait-ms must be 0 or more, was " + fetchMaxWaitMs);
        check(timeoutMs >= 1, "--timeout-ms must be at least 1, was " + timeoutMs);
        check(requestTimeoutMs > fetchMaxWaitMs, "--request-timeout-ms must exceed --fetch-max-wait-ms (" + fetchMaxWaitMs + "), was " + requestTimeoutMs);
        check(reportIntervalMs >= 1, "--reporting-interval must be at least 1, was " + reportIntervalMs);
    }

    /** The same read, stopping after {@code records} (a warm-up). */
    public ConsumeConfig withNumRecords(long records) {
        return new ConsumeConfig(bootstrap, topic, records, fetchMaxBytes, maxPartitionFetchBytes, fetchMaxWaitMs, timeoutMs, checkCrc,
            requestTimeoutMs, clientId, reportIntervalMs, fetchSessions);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
