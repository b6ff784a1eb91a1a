package io.fjord.metadata;

import java.util.List;

/**
 * The port through which the controller persists metadata records. The broker implements it on
 * a partition log ({@code __cluster_metadata-0}); the cluster milestone puts a Raft quorum behind
 * the same port. Called only from the controller's lock.
 */
public interface MetadataLog {

    /** Durably appends the records as one atomic batch; returns the offset of the last one. */
    long append(List<MetadataRecord> records);

    /** Reads every record from the start, in order, calling {@code consumer} with each and its offset. */
    void replay(RecordConsumer consumer);

    @FunctionalInterface
    interface RecordConsumer {
        void accept(MetadataRecord record, long offset);
    }
}
