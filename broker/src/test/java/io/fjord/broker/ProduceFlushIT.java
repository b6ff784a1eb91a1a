package io.fjord.broker;

import io.fjord.broker.server.FjordBroker;
import io.fjord.common.TopicPartition;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import io.fjord.storage.PartitionLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flush.messages=1} over a real socket: a produce is answered only once its records are fsynced
 * (the log's recovery point covers them), also when the producer's retry of the same idempotent batch
 * arrives on another connection, as after a reconnect, and is answered as a duplicate.
 */
class ProduceFlushIT {

    private static final short PRODUCE_VERSION = 9;

    @Test
    void shouldAnswerAnAppendAndItsRetryOnlyOnceTheRecordsAreFsynced() throws Exception {
        try (FjordBroker broker = RawClient.startBroker("fjord-flush-", Map.of("log.flush.interval.messages", "1", "num.partitions", "1"));
             RawClient first = new RawClient(broker);
             RawClient retry = new RawClient(broker)) {
            first.call(ApiMessageType.METADATA, (short) 12, new MetadataRequestData().setTopics(new ArrayList<>(List.of(
                    new MetadataRequestData.MetadataRequestTopic().setName("synced")))), new MetadataResponseData());
            PartitionLog log = broker.context().replicaManager().partitionOrThrow(new TopicPartition("synced", 0)).log();
            for (int attempt = 0; attempt < 20; attempt++) {
                int sequence = attempt * 3;
                MemoryRecords batch = MemoryRecordsBuilder.builder().producer(4242L, (short) 0, sequence)
                        .append(System.currentTimeMillis(), "k", "a").append(System.currentTimeMillis(), "k", "b")
                        .append(System.currentTimeMillis(), "k", "c").build();
                first.send(ApiMessageType.PRODUCE, PRODUCE_VERSION, produce(batch));
                retry.send(ApiMessageType.PRODUCE, PRODUCE_VERSION, produce(batch));
                ProduceResponseData.PartitionProduceResponse retried = partition(
                        retry.receive(ApiMessageType.PRODUCE, PRODUCE_VERSION, new ProduceResponseData()));
                long recoveredAtRetryAnswer = log.recoveryPoint();
                ProduceResponseData.PartitionProduceResponse original = partition(
                        first.receive(ApiMessageType.PRODUCE, PRODUCE_VERSION, new ProduceResponseData()));
                long recoveredAtOriginalAnswer = log.recoveryPoint();

                assertThat(original.errorCode()).isZero();
                assertThat(retried.errorCode()).isZero();
                // Whichever connection the broker served first, both got the one append's offset.
                assertThat(retried.baseOffset()).isEqualTo(original.baseOffset()).isEqualTo(sequence);
                assertThat(recoveredAtRetryAnswer).as("recovery point when the retry was answered").isGreaterThanOrEqualTo(sequence + 3);
                assertThat(recoveredAtOriginalAnswer).as("recovery point when the original was answered").isGreaterThanOrEqualTo(sequence + 3);
            }
            assertThat(log.logEndOffset()).isEqualTo(60);
        }
    }

    private static ProduceRequestData produce(MemoryRecords batch) {
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("synced").setPartitionData(new ArrayList<>(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch)))));
        return produce;
    }

    private static ProduceResponseData.PartitionProduceResponse partition(ProduceResponseData response) {
        return response.responses().iterator().next().partitionResponses().get(0);
    }
}
