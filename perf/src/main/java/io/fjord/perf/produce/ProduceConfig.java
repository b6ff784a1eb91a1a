package io.fjord.perf.produce;

import io.fjord.perf.BrokerAddress;
import io.fjord.record.CompressionType;

/**
 * Everything {@code fjord perf produce} was asked to do, validated. Names follow Kafka's producer
 * configs ({@code batch.size} → {@code batchSizeBytes}). Immutable.
 *
 * @param throughput records per second for the whole run; zero or less means as fast as possible
 * @param acks       0, 1 or -1 (all)
 * @param warmupRecords the first records of {@code numRecords} that are sent but kept out of the figures
 */
public record ProduceConfig(BrokerAddress bootstrap, String topic, long numRecords, int recordSizeBytes,
                            double throughput, short acks, int batchSizeBytes, long lingerMs,
                            CompressionType compression, long warmupRecords, Partitioner.Mode partitioner,
                            int maxInFlight, int requestTimeoutMs, long bufferMemoryBytes, int maxRequestBytes,
                            String clientId, long reportIntervalMs) {

    public ProduceConfig {
        check(numRecords >= 1, "--num-records must be at least 1, was " + numRecords);
        check(recordSizeBytes >= 0, "--record-size must be 0 or more, was " + recordSizeBytes);
        check(acks == 0 || acks == 1 || acks == -1, "--acks must be 0, 1 or all, was " + acks);
        check(batchSizeBytes >= 1, "--batch-size must be at least 1, was " + batchSizeBytes);
        check(lingerMs >= 0, "--linger-ms must be 0 or more, was " + lingerMs);
        check(warmupRecords >= 0 && warmupRecords < numRecords,
            "--warmup-records must be 0 or more and less than --num-records (" + numRecords + "), was " + warmupRecords);
        check(maxInFlight >= 1, "--max-in-flight must be at least 1, was " + maxInFlight);
        check(requestTimeoutMs >= 1, "--request-timeout-ms must be at least 1, was " + requestTimeoutMs);
        check(bufferMemoryBytes >= batchSizeBytes, "--buffer-memory must be at least --batch-size (" + batchSizeBytes + "), was " + bufferMemoryBytes);
        check(maxRequestBytes >= 1024, "--max-request-size must be at least 1024, was " + maxRequestBytes);
        check(reportIntervalMs >= 1, "--reporting-interval must be at least 1, was " + reportIntervalMs);
        check(topic != null && !topic.isEmpty(), "--topic must not be empty");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
