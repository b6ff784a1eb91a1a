package io.fjord.storage;

/** What the producer state remembers of one appended batch, for duplicate detection. */
public record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset, long timestamp) {
}
