package io.fjord.coordinator.transaction;

import io.fjord.coordinator.CoordinatorEventLoop;
import io.fjord.common.Time;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.group.CoordinatorLog;
import io.fjord.coordinator.transaction.TransactionCoordinatorShard.InitProducerIdResult;
import io.fjord.coordinator.transaction.TransactionMarkerWriter.MarkerRequest;
import io.fjord.protocol.message.DescribeTransactionsResponseData;
import io.fjord.protocol.message.ListTransactionsResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The transaction coordinator of a broker: routes each transactional id to its
 * {@code __transaction_state} partition ({@link #partitionFor}, Kafka's formula) and runs that
 * partition's {@link TransactionCoordinatorShard}; hands the shards' marker requests to the
 * {@link TransactionMarkerWriter} and feeds the results back, retrying partitions that failed.
 *
 * <p>Threading: one event-loop thread ({@code fjord-transaction-coordinator}) runs every shard,
 * every request, the marker completions and a poll every {@link #POLL_INTERVAL_MS} ms (timeouts,
 * expiry). Callers on any thread get a future completed on the event loop. At most
 * {@link #MAX_PENDING_EVENTS} client requests wait; beyond that a request is answered
 * COORDINATOR_NOT_AVAILABLE at once. Marker completions are not counted against that bound: they
 * are at most one per transaction in PrepareCommit/PrepareAbort, and dropping one would leave a
 * transaction unfinished.
 *
 * <p>Ordering guarantee (why {@link #runInTransaction} exists): a write the coordinator verified
 * against an open transaction is executed on the event loop right after the check, and markers are
 * handed out on the same loop, so the write lands before any marker that ends that transaction.
 *
 * <p>Lifecycle: {@link #start}, {@link #loadPartitions} once {@code __transaction_state} exists
 * (an id of a partition not loaded gets NOT_COORDINATOR), then {@link #close}.
 */
public final class TransactionCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCoordinator.class);
    public static final int MAX_PENDING_EVENTS = 10_000;
    static final long POLL_INTERVAL_MS = 50;

    private final TransactionCoordinatorConfig config;
    private final CoordinatorLog log;
    private final ProducerIdGenerator producerIds;
    private final TransactionMarkerWriter markerWriter;
    private final Time time;
    private final CoordinatorEventLoop eventLoop;
    /** Loaded shards by partition; touched only on the event loop. */
    private final Map<Integer, TransactionCoordinatorShard> shards = new HashMap<>();
    private volatile boolean closed;

    public TransactionCoordinator(TransactionCoordinatorConfig config, CoordinatorLog log, ProducerIdGenerator producerIds,
                                  TransactionMarkerWriter markerWriter, Time time) {
        this.config = config;
        this.log = log;
        this.producerIds = producerIds;
        this.markerWriter = markerWriter;
        this.time = time;
        this.eventLoop = new CoordinatorEventLoop("fjord-transaction-coordinator", MAX_PENDING_EVENTS);
    }

    public void start() {
        eventLoop.scheduleWithFixedDelay(this::pollShards, POLL_INTERVAL_MS);
    }

    public TransactionCoordinatorConfig config() {
        return config;
    }

    /** Kafka's {@code Utils.abs(transactionalId.hashCode()) % transaction.state.log.num.partitions}. */
    public int partitionFor(String transactionalId) {
        int hash = transactionalId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % config.transactionStateLogNumPartitions();
    }

    /**
     * Loads (replays) the given partitions that are not loaded yet, each with its coordinator epoch
     * (the leader epoch of that {@code __transaction_state} partition, written into every marker).
     */
    public CompletableFuture<Void> loadPartitions(Map<Integer, Integer> coordinatorEpochs) {
        Map<Integer, Integer> toLoad = Map.copyOf(coordinatorEpochs);
        return runOnLoop(() -> {
            long nowMs = time.milliseconds();
            for (Map.Entry<Integer, Integer> entry : toLoad.entrySet()) {
                if (!shards.containsKey(entry.getKey())) {
                    TransactionCoordinatorShard shard = new TransactionCoordinatorShard(entry.getKey(), entry.getValue(), config, log, producerIds);
                    shard.load(nowMs);
                    shards.put(entry.getKey(), shard);
                    dispatchMarkers(shard);
                }
            }
            return null;
        }, error -> null);
    }

    public CompletableFuture<InitProducerIdResult> initProducerId(String transactionalId, int txnTimeoutMs, long expectedProducerId,
                                                                  short expectedEpoch) {
        return route(transactionalId, (shard, nowMs) -> shard.handleInitProducerId(transactionalId, txnTimeoutMs, expectedProducerId,
                expectedEpoch, nowMs), InitProducerIdResult::error);
    }

    /** AddPartitionsToTxn, and AddOffsetsToTxn with the group's {@code __consumer_offsets} partition. */
    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions) {
        Set<TopicPartition> copy = Set.copyOf(partitions);
        return route(transactionalId, (shard, nowMs) -> shard.handleAddPartitions(transactionalId, producerId, producerEpoch, copy, nowMs),
                error -> error);
    }

    public CompletableFuture<Errors> endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        return route(transactionalId, (shard, nowMs) -> shard.handleEndTxn(transactionalId, producerId, producerEpoch, commit, nowMs),
                error -> error);
    }

    /**
     * Runs {@code action} on the event loop if the producer's open transaction contains every one of
     * {@code partitions} (KIP-890 part 1, in-process); otherwise answers {@code onError} with the
     * reason (INVALID_TXN_STATE, PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING, NOT_COORDINATOR...).
     * The action must be short and must not wait for this coordinator.
     */
    public <T> CompletableFuture<T> runInTransaction(String transactionalId, long producerId, short producerEpoch,
                                                     Collection<TopicPartition> partitions, Supplier<T> action, Function<Errors, T> onError) {
        List<TopicPartition> copy = List.copyOf(partitions);
        return route(transactionalId, (shard, nowMs) -> {
            Errors error = shard.verifyPartitions(transactionalId, producerId, producerEpoch, copy);
            return error == Errors.NONE ? action.get() : onError.apply(error);
        }, onError);
    }

    public CompletableFuture<List<DescribeTransactionsResponseData.TransactionState>> describeTransactions(List<String> transactionalIds) {
        return runOnLoop(() -> {
            List<DescribeTransactionsResponseData.TransactionState> described = new ArrayList<>(transactionalIds.size());
            for (String transactionalId : transactionalIds) {
                TransactionCoordinatorShard shard = transactionalId == null || transactionalId.isEmpty() ? null
                        : shards.get(partitionFor(transactionalId));
                if (shard == null) {
                    Errors error = transactionalId == null || transactionalId.isEmpty() ? Errors.INVALID_REQUEST : Errors.NOT_COORDINATOR;
                    described.add(describeError(transactionalId, error));
                } else {
                    described.add(shard.describe(transactionalId));
                }
            }
            return described;
        }, error -> transactionalIds.stream().map(id -> describeError(id, error)).toList());
    }

    private static DescribeTransactionsResponseData.TransactionState describeError(String transactionalId, Errors error) {
        return new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId).setErrorCode(error.code())
                .setTransactionState("").setProducerId(-1).setProducerEpoch((short) -1).setTransactionStartTimeMs(-1);
    }

    /** The transactions of every loaded partition matching the filters, or an error if the coordinator is not ready. */
    public record ListResult(Errors error, List<ListTransactionsResponseData.TransactionState> transactions) {
    }

    public CompletableFuture<ListResult> listTransactions(Set<Long> producerIdFilter, Set<TransactionState> stateFilter, long minDurationMs) {
        return runOnLoop(() -> {
            long nowMs = time.milliseconds();
            List<ListTransactionsResponseData.TransactionState> listed = new ArrayList<>();
            for (TransactionCoordinatorShard shard : shards.values()) {
                listed.addAll(shard.list(producerIdFilter, stateFilter, minDurationMs, nowMs));
            }
            return new ListResult(Errors.NONE, listed);
        }, error -> new ListResult(error, List.of()));
    }

    /** Runs {@code call} on the shard owning {@code transactionalId}, on the event loop, then dispatches its markers. */
    private <T> CompletableFuture<T> route(String transactionalId, BiFunction<TransactionCoordinatorShard, Long, T> call,
                                           Function<Errors, T> onError) {
        return runOnLoop(() -> {
            if (transactionalId == null || transactionalId.isEmpty()) {
                return onError.apply(Errors.INVALID_REQUEST);
            }
            TransactionCoordinatorShard shard = shards.get(partitionFor(transactionalId));
            if (shard == null) {
                return onError.apply(Errors.NOT_COORDINATOR);
            }
            try {
                return call.apply(shard, time.milliseconds());
            } finally {
                dispatchMarkers(shard);
            }
        }, onError);
    }

    private void dispatchMarkers(TransactionCoordinatorShard shard) {
        for (MarkerRequest request : shard.drainMarkerRequests()) {
            writeMarkers(shard.partition(), request, request);
        }
    }

    /** Hands {@code toWrite} (the whole transaction, or what is left of it) to the writer; on the event loop. */
    private void writeMarkers(int partition, MarkerRequest transaction, MarkerRequest toWrite) {
        CompletableFuture<Set<TopicPartition>> written;
        try {
            written = markerWriter.writeMarkers(toWrite, time.milliseconds());
        } catch (RuntimeException e) {
            LOG.error("[transactional id {}] writing markers failed; retrying", transaction.transactionalId(), e);
            written = CompletableFuture.completedFuture(toWrite.partitions());
        }
        written.whenComplete((failed, error) -> {
            Set<TopicPartition> remaining = error != null ? toWrite.partitions() : failed;
            execute(() -> onMarkersDone(partition, transaction, toWrite, remaining));
        });
    }

    private void onMarkersDone(int partition, MarkerRequest transaction, MarkerRequest written, Set<TopicPartition> remaining) {
        TransactionCoordinatorShard shard = shards.get(partition);
        if (shard == null) {
            return;
        }
        if (remaining.isEmpty()) {
            shard.onMarkersWritten(transaction, time.milliseconds());
            dispatchMarkers(shard);
            return;
        }
        LOG.debug("[transactional id {}] markers for {} not written yet; retrying in {} ms", transaction.transactionalId(), remaining,
                config.markerRetryBackoffMs());
        MarkerRequest retry = new MarkerRequest(written.transactionalId(), written.producerId(), written.producerEpoch(),
                written.coordinatorEpoch(), written.commit(), remaining);
        schedule(() -> {
            if (shards.get(partition) == shard) {
                writeMarkers(partition, transaction, retry);
            }
        }, config.markerRetryBackoffMs());
    }

    private void execute(Runnable task) {
        eventLoop.execute(task);
    }

    private void schedule(Runnable task, long delayMs) {
        eventLoop.schedule(task, delayMs);
    }

    /** Runs {@code task} on the event loop; when it cannot run or fails, the future holds {@code onError}'s value. */
    private <T> CompletableFuture<T> runOnLoop(Supplier<T> task, Function<Errors, T> onError) {
        if (closed) {
            return CompletableFuture.completedFuture(onError.apply(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return eventLoop.call(task, onError);
    }

    private void pollShards() {
        long nowMs = time.milliseconds();
        for (TransactionCoordinatorShard shard : shards.values()) {
            try {
                shard.poll(nowMs);
                dispatchMarkers(shard);
            } catch (RuntimeException e) {
                LOG.error("[__transaction_state-{}] applying timeouts failed", shard.partition(), e);
            }
        }
    }

    /** Stops the event loop; transactions in PrepareCommit/PrepareAbort are completed by the next load. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        eventLoop.runAndWait(shards::clear, 10_000);
        eventLoop.shutdownNow();
    }
}
