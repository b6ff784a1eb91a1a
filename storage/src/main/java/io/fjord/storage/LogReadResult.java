package io.fjord.storage;

import io.fjord.record.BaseRecords;

/** Whole batches from the fetch offset (a zero-copy file region), with the partition's offsets at the time of the read. */
public record LogReadResult(BaseRecords records, long highWatermark, long logStartOffset, long logEndOffset) {
}
