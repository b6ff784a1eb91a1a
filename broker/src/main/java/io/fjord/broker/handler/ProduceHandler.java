package io.fjord.broker.handler;

import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.ReplicaManager;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.record.BaseRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.storage.AppendOrigin;
import io.fjord.storage.LogAppendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Produce (key 0). Advertises 0-12 because librdkafka before 2.11.1 switches compression off unless
 * Produce v0 is listed (KAFKA-18659), but accepts only 3-12 (record batch v2), closing the
 * connection on 0-2 exactly as Apache Kafka 4 does.
 *
 * <p>Per partition: exactly one magic-2 batch (INVALID_RECORD otherwise), ZSTD only from v7
 * (UNSUPPORTED_COMPRESSION_TYPE), then the storage layer validates and appends. On one node the ISR
 * is this broker, so acks=1 and acks=all are both satisfied by the local append; acks=0 gets no
 * response at all. An append that reaches the topic's {@code flush.messages} is answered once a
 * flusher thread has fsynced it (KAFKA_STORAGE_ERROR if that fails); the network thread goes on
 * serving meanwhile, and the connection's later responses wait their turn behind it.
 *
 * <p>Transactional batches (KIP-890 part 1, done in-process): the request must name a
 * transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED otherwise, as Kafka), and the batch is
 * appended only if the transaction coordinator finds the partition in that producer's open
 * transaction, on the coordinator's thread right after the check, so it cannot land behind the
 * marker that ends the transaction (a "hanging" transaction). Otherwise INVALID_TXN_STATE; a fenced
 * producer gets INVALID_PRODUCER_EPOCH; a coordinator not ready NOT_ENOUGH_REPLICAS (retriable, as
 * Kafka maps it for producers). Non-transactional partitions stay on the network thread.
 */
public final class ProduceHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);
    private static final int MAGIC_OFFSET = 16;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LENGTH_OFFSET = 8;
    private static final int HEADER_BYTES = 61;
    private static final int COMPRESSION_ZSTD = 4;
    private static final int TRANSACTIONAL_FLAG = 0x10;
    private static final int PRODUCER_ID_OFFSET = 43;
    private static final int PRODUCER_EPOCH_OFFSET = 51;

    private final BrokerContext broker;
    private final TransactionTopicManager transactions;

    public ProduceHandler(BrokerContext broker, TransactionTopicManager transactions) {
        this.broker = broker;
        this.transactions = transactions;
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
        List<CompletableFuture<Void>> pending = null;
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topic.name());
            List<ProduceResponseData.PartitionProduceResponse> partitions = new ArrayList<>(topic.partitionData().size());
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                ProduceResponseData.PartitionProduceResponse result = new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(partition.index()).setBaseOffset(-1L).setLogAppendTimeMs(-1L).setLogStartOffset(-1L);
                partitions.add(result);
                TopicPartition tp = new TopicPartition(topic.name(), partition.index());
                MemoryRecords records = validate(context, acks, tp, partition, result);
                if (records == null) {
                    continue;
                }
                CompletableFuture<Void> appended = isTransactional(records)
                        ? appendTransactional(context, request.transactionalId(), tp, records, result)
                        : append(context, tp, records, result);
                if (!appended.isDone()) {
                    if (pending == null) {
                        pending = new ArrayList<>();
                    }
                    pending.add(appended);
                }
            }
            topicResponse.setPartitionResponses(partitions);
            response.responses().add(topicResponse);
        }
        if (pending == null) {
            return CompletableFuture.completedFuture(acks == 0 ? null : response);
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(ignored -> acks == 0 ? null : response);
    }

    /** The partition's single batch, or null with the error filled into {@code result}. */
    private static MemoryRecords validate(RequestContext context, short acks, TopicPartition tp, ProduceRequestData.PartitionProduceData partition,
                                          ProduceResponseData.PartitionProduceResponse result) {
        try {
            if (acks != 0 && acks != 1 && acks != -1) {
                throw new ApiException(Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, not " + acks);
            }
            return checkSingleBatch(partition.records(), context.apiVersion());
        } catch (ApiException e) {
            fail(context, tp, result, e.error(), e.getMessage());
            return null;
        }
    }

    /** Appends and fills {@code result}; the future completes (never exceptionally) when the partition's answer is final. */
    private CompletableFuture<Void> append(RequestContext context, TopicPartition tp, MemoryRecords records,
                                           ProduceResponseData.PartitionProduceResponse result) {
        ReplicaManager.Appended appended;
        try {
            appended = broker.replicaManager().append(tp, records, AppendOrigin.CLIENT);
        } catch (ApiException e) {
            fail(context, tp, result, e.error(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        LogAppendResult offsets = appended.result();
        result.setBaseOffset(offsets.firstOffset())
                .setLogAppendTimeMs(offsets.logAppendTimeMs())
                .setLogStartOffset(offsets.logStartOffset());
        if (appended.durable().isDone() && !appended.durable().isCompletedExceptionally()) {
            return appended.durable();
        }
        // flush.messages reached: answer once the fsync is done, with its error if it failed.
        return appended.durable().handle((ignored, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                Errors error = cause instanceof ApiException api ? api.error() : Errors.KAFKA_STORAGE_ERROR;
                result.setBaseOffset(-1L).setLogAppendTimeMs(-1L);
                fail(context, tp, result, error, "flushing the append failed: " + cause.getMessage());
            }
            return null;
        });
    }

    private CompletableFuture<Void> appendTransactional(RequestContext context, String transactionalId, TopicPartition tp, MemoryRecords records,
                                                        ProduceResponseData.PartitionProduceResponse result) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            fail(context, tp, result, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "A transactional batch needs the request's transactional id");
            return CompletableFuture.completedFuture(null);
        }
        ByteBuffer buffer = records.buffer();
        long producerId = buffer.getLong(buffer.position() + PRODUCER_ID_OFFSET);
        short producerEpoch = buffer.getShort(buffer.position() + PRODUCER_EPOCH_OFFSET);
        // The request frame is released when handle() returns; the append runs later, so it needs its own copy.
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        MemoryRecords owned = new MemoryRecords(copy);
        return transactions.coordinator().runInTransaction(transactionalId, producerId, producerEpoch, List.of(tp),
            () -> append(context, tp, owned, result),
            error -> {
                fail(context, tp, result, verificationError(error), "Transaction check failed: " + error);
                return CompletableFuture.<Void>completedFuture(null);
            }).thenCompose(appended -> appended);
    }

    /** Kafka's mapping of a failed transaction verification to what a producer understands. */
    static Errors verificationError(Errors error) {
        return switch (error) {
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case INVALID_PRODUCER_ID_MAPPING -> Errors.INVALID_TXN_STATE;
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS -> Errors.NOT_ENOUGH_REPLICAS;
            default -> error;
        };
    }

    private static void fail(RequestContext context, TopicPartition tp, ProduceResponseData.PartitionProduceResponse result, Errors error,
                             String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[partition {}] produce from {} rejected: {} {}", tp, context.clientId(), error, message);
        }
    }

    private static boolean isTransactional(MemoryRecords records) {
        ByteBuffer buffer = records.buffer();
        return (buffer.getShort(buffer.position() + ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG) != 0;
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
        return memory;
    }
}
