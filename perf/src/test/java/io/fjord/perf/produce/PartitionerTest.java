package io.fjord.perf.produce;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionerTest {

    @Test
    void shouldStickToAPartitionUntilItsBatchIsFull() {
        Partitioner partitioner = new Partitioner(Partitioner.Mode.STICKY, 3);
        assertThat(partitioner.partition()).isZero();
        assertThat(partitioner.partition()).isZero();
        partitioner.onBatchFull(2);
        assertThat(partitioner.partition()).as("another partition's full batch does not move it").isZero();
        partitioner.onBatchFull(0);
        assertThat(partitioner.peek()).isEqualTo(1);
        partitioner.onBatchFull(1);
        partitioner.onBatchFull(2);
        assertThat(partitioner.partition()).isZero();
    }

    @Test
    void shouldCycleThroughPartitionsInRoundRobin() {
        Partitioner partitioner = new Partitioner(Partitioner.Mode.ROUND_ROBIN, 3);
        assertThat(new int[] {partitioner.partition(), partitioner.partition(), partitioner.partition(), partitioner.partition()})
            .containsExactly(0, 1, 2, 0);
    }
}
