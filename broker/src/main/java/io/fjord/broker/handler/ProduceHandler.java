package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.record.BaseRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.storage.LogAppendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Produce (key 0). Advertises 0-12 because librdkafka before 2.11.1 switches compression off unless
 * Produce v0 is listed (KAFKA-18659), but accepts only 3-12 (record batch v2), closing the
 * connection on 0-2 exactly as Apache Kafka 4 does.
 *
 * <p>Per partition: exactly one magic-2 batch (INVALID_RECORD otherwise), ZSTD only from v7
 * (UNSUPPORTED_COMPRESSION_TYPE), then the storage layer validates and appends. On one node the ISR
 * is this broker, so acks=1 and acks=all are both satisfied by the local append; acks=0 gets no
 * response at all. Transactions are not served yet (issue 4): transactional batches get
 * INVALID_TXN_STATE.
 */
public final class ProduceHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);
    private static final int MAGIC_OFFSET = 16;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LENGTH_OFFSET = 8;
    private static final int HEADER_BYTES = 61;
    private static final int COMPRESSION_ZSTD = 4;
    private static final int TRANSACTIONAL_FLAG = 0x10;

    private final BrokerContext broker;

    public ProduceHandler(BrokerContext broker) {
        this.broker = broker;
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.PRODUCE;
    }

    @Override
    public short minAdvertisedVersion() {
        return 0;
    }

    @Override
    public short minAcceptedVersion() {
        return 3;
    }

    @Override
    public short maxVersion() {
        return 12;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        ProduceRequestData request = (ProduceRequestData) message;
        short acks = request.acks();
        ProduceResponseData response = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topic.name());
            List<ProduceResponseData.PartitionProduceResponse> partitions = new ArrayList<>(topic.partitionData().size());
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                partitions.add(producePartition(context, acks, topic.name(), partition));
            }
            topicResponse.setPartitionResponses(partitions);
            response.responses().add(topicResponse);
        }
        return CompletableFuture.completedFuture(acks == 0 ? null : response);
    }

    private ProduceResponseData.PartitionProduceResponse producePartition(RequestContext context, short acks, String topic,
                                                                        ProduceRequestData.PartitionProduceData partition) {
        ProduceResponseData.PartitionProduceResponse result = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(partition.index()).setBaseOffset(-1L).setLogAppendTimeMs(-1L).setLogStartOffset(-1L);
        TopicPartition tp = new TopicPartition(topic, partition.index());
        try {
            if (acks != 0 && acks != 1 && acks != -1) {
                throw new ApiException(Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, not " + acks);
            }
            MemoryRecords records = checkSingleBatch(partition.records(), context.apiVersion());
            LogAppendResult appended = broker.replicaManager().appendRecords(tp, records);
            result.setBaseOffset(appended.firstOffset())
                    .setLogAppendTimeMs(appended.logAppendTimeMs())
                    .setLogStartOffset(appended.logStartOffset());
        } catch (ApiException e) {
            result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            if (LOG.isDebugEnabled()) {
                LOG.debug("[partition {}] produce from {} rejected: {} {}", tp, context.clientId(), e.error(), e.getMessage());
            }
        }
        return result;
    }

    /** Produce v3+ carries exactly one record batch v2 per partition (Kafka's ProduceRequest.validateRecords). */
    private static MemoryRecords checkSingleBatch(BaseRecords records, short version) {
        if (!(records instanceof MemoryRecords memory) || memory.sizeInBytes() < HEADER_BYTES) {
            throw new ApiException(Errors.INVALID_RECORD, "Produce requests with version 3 and above must contain exactly one record batch");
        }
        ByteBuffer buffer = memory.buffer();
        int start = buffer.position();
        byte magic = buffer.get(start + MAGIC_OFFSET);
        if (magic != 2) {
            throw new ApiException(Errors.INVALID_RECORD, "Produce requests with version 3 and above must contain record batches with magic 2, not " + magic);
        }
        long batchBytes = 12L + buffer.getInt(start + LENGTH_OFFSET);
        if (batchBytes != memory.sizeInBytes()) {
            throw new ApiException(Errors.INVALID_RECORD, "Produce requests with version 3 and above must contain exactly one record batch");
        }
        short attributes = buffer.getShort(start + ATTRIBUTES_OFFSET);
        if ((attributes & 0x07) == COMPRESSION_ZSTD && version < 7) {
            throw new ApiException(Errors.UNSUPPORTED_COMPRESSION_TYPE, "Produce requests with version " + version + " cannot carry ZSTD batches");
        }
        if ((attributes & TRANSACTIONAL_FLAG) != 0) {
            throw new ApiException(Errors.INVALID_TXN_STATE, "Transactional produce is not supported by this broker yet");
        }
        return memory;
    }
}
