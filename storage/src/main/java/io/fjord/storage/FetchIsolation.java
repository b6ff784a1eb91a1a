package io.fjord.storage;

/**
 * How far a read may go (Kafka's {@code FetchIsolation}): to the log end (followers, internal
 * readers), to the high watermark (read_uncommitted consumers) or to the last stable offset
 * (read_committed consumers, which also get the aborted transactions of the range read).
 */
public enum FetchIsolation {
    LOG_END,
    HIGH_WATERMARK,
    TXN_COMMITTED;

    /** A consumer's Fetch/ListOffsets {@code IsolationLevel}: 0 read_uncommitted, 1 read_committed. */
    public static FetchIsolation ofIsolationLevel(byte isolationLevel) {
        return switch (isolationLevel) {
            case 0 -> HIGH_WATERMARK;
            case 1 -> TXN_COMMITTED;
            default -> throw new IllegalArgumentException("unknown isolation level " + isolationLevel);
        };
    }
}
