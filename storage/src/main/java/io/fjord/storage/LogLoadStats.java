package io.fjord.storage;

/**
 * What loading a partition log had to do: how many segments were scanned batch by batch for
 * recovery, how many indexes were rebuilt, how many bytes of torn or corrupt tail were truncated
 * and how many batches were replayed into the producer state. A clean restart has zero recovered
 * segments and zero rebuilt indexes (tests assert this instead of timing).
 */
public record LogLoadStats(boolean hadCleanShutdown, int segmentsRecovered, int indexesRebuilt, long bytesTruncated, long batchesReplayed) {
}
