package io.fjord.broker.handler;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.network.RequestContext;
import io.fjord.broker.server.BrokerContext;
import io.fjord.broker.server.DelayedFetchPurgatory;
import io.fjord.broker.server.FetchSessionCache;
import io.fjord.broker.server.FetchSessionCache.Wanted;
import io.fjord.broker.server.ReplicaManager.HostedPartition;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.TopicImage;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.record.BaseRecords;
import io.fjord.record.CompressionType;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import io.fjord.record.RecordBatchView;
import io.fjord.storage.AbortedTransaction;
import io.fjord.storage.FetchIsolation;
import io.fjord.storage.LogReadResult;
import io.fjord.storage.PartitionLog;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Fetch (key 1), versions 4-12, consumers only (replica fetches come with the cluster milestone).
 *
 * <p>Reads each partition from its fetch offset up to the high watermark (read_uncommitted) or the
 * last stable offset with the aborted transactions in range (read_committed), and hands the segment regions to the socket with
 * sendfile. A response carries at most the request's MaxBytes and the broker's {@code fetch.max.bytes},
 * whichever is less; the first partition with data may exceed the size limits by one whole batch so a
 * consumer always makes progress (KIP-74). With fewer than {@code MinBytes} available the request
 * waits in the {@link DelayedFetchPurgatory} until an append brings enough or {@code MaxWaitMs}
 * passes. Which partitions a fetch reads, and which of them its response carries, is the business of
 * its {@link FetchSessionCache fetch session} (KIP-227): all of them for a full or sessionless fetch,
 * only those with news for an incremental one.
 */
public final class FetchHandler implements ApiHandler {

    private final BrokerContext broker;
    private final DelayedFetchPurgatory purgatory;
    private final FetchSessionCache sessions;
    /** {@code fetch.max.bytes}, read once: every fetch attempt (and every purgatory wake-up) caps with it. */
    private final int brokerMaxBytes;

    public FetchHandler(BrokerContext broker, DelayedFetchPurgatory purgatory, FetchSessionCache sessions) {
        this.broker = broker;
        this.purgatory = purgatory;
        this.sessions = sessions;
        this.brokerMaxBytes = broker.config().get(BrokerConfig.FETCH_MAX_BYTES);
    }

    @Override
    public ApiMessageType apiType() {
        return ApiMessageType.FETCH;
    }

    @Override
    public short minAdvertisedVersion() {
        return 4;
    }

    @Override
    public short maxVersion() {
        return 12;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        FetchRequestData request = (FetchRequestData) message;
        short version = context.apiVersion();
        FetchSessionCache.Context fetch = sessions.newContext(request, version);
        List<Wanted> wanted = fetch.partitions();
        List<TopicPartition> resolved = new ArrayList<>(wanted.size());
        Set<TopicPartition> watched = new LinkedHashSet<>();
        for (Wanted partition : wanted) {
            String name = topicName(partition.key(), version);
            TopicPartition tp = name == null ? null : new TopicPartition(name, partition.key().partition());
            resolved.add(tp);
            if (tp != null) {
                watched.add(tp);
            }
        }
        CompletableFuture<ApiMessage> future = new CompletableFuture<>();
        DelayedFetchPurgatory.DelayedOperation operation = new DelayedFetchPurgatory.DelayedOperation() {
            @Override
            protected boolean tryCompleteIfReady() {
                Attempt attempt = read(request, wanted, resolved, version);
                if (attempt.ready(request.minBytes())) {
                    future.complete(fetch.respond(attempt.reads));
                    return true;
                }
                return false;
            }

            @Override
            protected void complete() {
                future.complete(fetch.respond(read(request, wanted, resolved, version).reads));
            }
        };
        purgatory.watch(operation, watched, request.maxWaitMs());
        return future;
    }

    /** One pass over the wanted partitions. */
    private record Attempt(List<FetchSessionCache.Read> reads, long bytes, boolean anyError) {
        boolean ready(int minBytes) {
            return anyError || bytes >= minBytes;
        }
    }

    private String topicName(FetchSessionCache.PartitionKey key, short version) {
        if (version < 13) {
            return key.topic();
        }
        return broker.controller().image().topic(key.topicId()).map(TopicImage::name).orElse(null);
    }

    /** Reads {@code wanted} in order; {@code resolved} holds each one's partition, or null for an unknown topic id. */
    private Attempt read(FetchRequestData request, List<Wanted> wanted, List<TopicPartition> resolved, short version) {
        long remainingBytes = request.maxBytes() <= 0 ? brokerMaxBytes : Math.min(request.maxBytes(), brokerMaxBytes);
        long totalBytes = 0;
        boolean anyError = false;
        boolean readCommitted = request.isolationLevel() == 1;
        FetchIsolation isolation = FetchIsolation.ofIsolationLevel(request.isolationLevel());
        List<FetchSessionCache.Read> reads = new ArrayList<>(wanted.size());
        for (int i = 0; i < wanted.size(); i++) {
            Wanted partition = wanted.get(i);
            TopicPartition tp = resolved.get(i);
            FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
                    .setPartitionIndex(partition.key().partition())
                    .setHighWatermark(-1L).setLastStableOffset(-1L).setLogStartOffset(-1L)
                    .setPreferredReadReplica(-1)
                    .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                    .setRecords(MemoryRecords.EMPTY);
            try {
                if (tp == null) {
                    throw new ApiException(Errors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
                }
                int maxBytes = (int) Math.min(partition.maxBytes(), remainingBytes);
                LogReadResult result = readPartition(tp, partition, maxBytes, totalBytes == 0, isolation);
                if (version < 10) {
                    checkNoZstd(result.records());
                }
                int size = result.records().sizeInBytes();
                totalBytes += size;
                remainingBytes = Math.max(0, remainingBytes - size);
                data.setHighWatermark(result.highWatermark())
                        .setLastStableOffset(result.lastStableOffset())
                        .setLogStartOffset(result.logStartOffset())
                        .setRecords(result.records());
                if (readCommitted) {
                    data.setAbortedTransactions(abortedTransactions(result.abortedTransactions()));
                }
            } catch (ApiException e) {
                anyError = true;
                data.setErrorCode(e.error().code());
                fillOffsets(tp, data);
            }
            reads.add(new FetchSessionCache.Read(partition, data));
        }
        return new Attempt(reads, totalBytes, anyError);
    }

    private LogReadResult readPartition(TopicPartition tp, Wanted partition, int maxBytes, boolean minOneBatch,
                                        FetchIsolation isolation) {
        HostedPartition hosted = broker.replicaManager().partitionOrThrow(tp);
        checkLeaderEpoch(partition.currentLeaderEpoch(), hosted.leaderEpoch());
        PartitionLog log = hosted.log();
        return log.read(partition.fetchOffset(), maxBytes, minOneBatch, isolation);
    }

    private static List<FetchResponseData.AbortedTransaction> abortedTransactions(List<AbortedTransaction> aborted) {
        List<FetchResponseData.AbortedTransaction> result = new ArrayList<>(aborted.size());
        for (AbortedTransaction transaction : aborted) {
            result.add(new FetchResponseData.AbortedTransaction().setProducerId(transaction.producerId())
                    .setFirstOffset(transaction.firstOffset()));
        }
        return result;
    }

    /** KIP-110: ZSTD batches must not reach a client fetching below v10, which cannot decode them. */
    private static void checkNoZstd(BaseRecords records) {
        ByteBuffer header = ByteBuffer.allocate(RecordBatchView.ATTRIBUTES_OFFSET + 2);
        if (!(records instanceof FileRecords file)) {
            return;
        }
        long position = file.position();
        long end = file.position() + file.sizeInBytes();
        try {
            while (position + header.capacity() <= end) {
                header.clear();
                while (header.hasRemaining() && file.channel().read(header, position + header.position()) > 0) {
                    // Positional reads until the header is complete.
                }
                if ((header.getShort(RecordBatchView.ATTRIBUTES_OFFSET) & 0x07) == CompressionType.ZSTD.id()) {
                    throw new ApiException(Errors.UNSUPPORTED_COMPRESSION_TYPE,
                            "ZSTD-compressed batches cannot be fetched below version 10");
                }
                position += RecordBatchView.LOG_OVERHEAD + header.getInt(RecordBatchView.LENGTH_OFFSET);
            }
        } catch (java.io.IOException e) {
            throw new ApiException(Errors.KAFKA_STORAGE_ERROR, "Cannot read " + records + ": " + e.getMessage());
        }
    }

    static void checkLeaderEpoch(int requestEpoch, int leaderEpoch) {
        if (requestEpoch == -1 || requestEpoch == leaderEpoch) {
            return;
        }
        if (requestEpoch < leaderEpoch) {
            throw new ApiException(Errors.FENCED_LEADER_EPOCH, "leader epoch " + requestEpoch + " is older than " + leaderEpoch);
        }
        throw new ApiException(Errors.UNKNOWN_LEADER_EPOCH, "leader epoch " + requestEpoch + " is newer than " + leaderEpoch);
    }

    /** Errors still carry the partition's offsets when it exists (OFFSET_OUT_OF_RANGE needs them to reset). */
    private void fillOffsets(TopicPartition tp, FetchResponseData.PartitionData data) {
        if (tp == null) {
            return;
        }
        Optional<HostedPartition> hosted = broker.replicaManager().partition(tp);
        hosted.ifPresent(p -> data.setHighWatermark(p.log().highWatermark())
                .setLastStableOffset(p.log().lastStableOffset())
                .setLogStartOffset(p.log().logStartOffset()));
    }
}
