package io.fjord.coordinator.transaction;

/**
 * The transaction coordinator's settings, mirrored from the broker keys of the same Kafka names
 * ({@code transaction.max.timeout.ms} -> {@link #transactionMaxTimeoutMs}). Immutable; built with
 * {@link #builder()}, whose {@link Builder#build()} validates every value.
 *
 * @param transactionStateLogNumPartitions              partitions of {@code __transaction_state}; fixes {@code partitionFor}
 * @param transactionMaxTimeoutMs                       largest {@code transaction.timeout.ms} a producer may ask for
 * @param transactionalIdExpirationMs                   how long an idle transactional id is kept
 * @param abortTimedOutTransactionCleanupIntervalMs     how often open transactions are checked against their timeout
 * @param removeExpiredTransactionalIdCleanupIntervalMs how often idle transactional ids are looked for
 * @param markerRetryBackoffMs                          wait before retrying markers a partition could not take
 */
public record TransactionCoordinatorConfig(int transactionStateLogNumPartitions, int transactionMaxTimeoutMs,
                                           long transactionalIdExpirationMs, long abortTimedOutTransactionCleanupIntervalMs,
                                           long removeExpiredTransactionalIdCleanupIntervalMs, long markerRetryBackoffMs) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a config; every field starts at Kafka's default. */
    public static final class Builder {
        private int transactionStateLogNumPartitions = 50;
        private int transactionMaxTimeoutMs = 900_000;
        private long transactionalIdExpirationMs = 7L * 24 * 60 * 60 * 1000;
        private long abortTimedOutTransactionCleanupIntervalMs = 10_000;
        private long removeExpiredTransactionalIdCleanupIntervalMs = 3_600_000;
        private long markerRetryBackoffMs = 100;

        private Builder() {
        }

        public Builder transactionStateLogNumPartitions(int value) {
            this.transactionStateLogNumPartitions = value;
            return this;
        }

        public Builder transactionMaxTimeoutMs(int value) {
            this.transactionMaxTimeoutMs = value;
            return this;
        }

        public Builder transactionalIdExpirationMs(long value) {
            this.transactionalIdExpirationMs = value;
            return this;
        }

        public Builder abortTimedOutTransactionCleanupIntervalMs(long value) {
            this.abortTimedOutTransactionCleanupIntervalMs = value;
            return this;
        }

        public Builder removeExpiredTransactionalIdCleanupIntervalMs(long value) {
            this.removeExpiredTransactionalIdCleanupIntervalMs = value;
            return this;
        }

        public Builder markerRetryBackoffMs(long value) {
            this.markerRetryBackoffMs = value;
            return this;
        }

        /** Validates and builds; an invalid value is an {@link IllegalArgumentException} naming the Kafka key. */
        public TransactionCoordinatorConfig build() {
            require(transactionStateLogNumPartitions >= 1, "transaction.state.log.num.partitions must be at least 1");
            require(transactionMaxTimeoutMs >= 1, "transaction.max.timeout.ms must be at least 1");
            require(transactionalIdExpirationMs >= 1, "transactional.id.expiration.ms must be at least 1");
            require(abortTimedOutTransactionCleanupIntervalMs >= 1,
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms must be at least 1");
            require(removeExpiredTransactionalIdCleanupIntervalMs >= 1,
                    "transaction.remove.expired.transaction.cleanup.interval.ms must be at least 1");
            require(markerRetryBackoffMs >= 1, "the marker retry backoff must be at least 1 ms");
            return new TransactionCoordinatorConfig(transactionStateLogNumPartitions, transactionMaxTimeoutMs,
                    transactionalIdExpirationMs, abortTimedOutTransactionCleanupIntervalMs,
                    removeExpiredTransactionalIdCleanupIntervalMs, markerRetryBackoffMs);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
