package io.fjord.metadata;

import java.util.List;

/** One partition as the metadata image knows it: replicas, ISR, leader and epochs. */
public record PartitionImage(int partitionId, List<Integer> replicas, List<Integer> isr, int leader,
                             int leaderEpoch, int partitionEpoch) {

    public PartitionImage {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
