package io.fjord.perf.produce;

import io.fjord.common.Time;
import io.fjord.perf.PerfException;
import io.fjord.perf.client.BrokerConnection;
import io.fjord.perf.client.ConnectionConfig;
import io.fjord.perf.client.InFlightRequest;
import io.fjord.perf.client.PerfClient;
import io.fjord.perf.client.ResponseListener;
import io.fjord.perf.client.TopicMetadata;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.ProduceResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.record.MemoryRecords;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The produce load: one thread generates keyless records at the requested rate, gathers them into
 * batches ({@link RecordAccumulator}), sends every ready batch to its partition's leader in pipelined
 * Produce requests and records each record's send-to-ack latency. Generating, sending and
 * receiving share one event loop, so the tool spends its CPU on records, not on thread hand-offs.
 *
 * <p>Each turn of the loop: append up to {@value #APPEND_CHUNK} due records (fewer when throttled
 * or when the accumulator is at its memory bound), drain ready batches to every leader with a free
 * in-flight slot, then poll the sockets, waiting only as long as nothing else is due (the next
 * record, a linger expiry, a progress line). Any broker error code ends the run: there are no
 * retries, so every count it prints was acknowledged exactly once.
 *
 * <p>Used once per run by {@code ProduceCommand}, on the caller's thread.
 */
public final class ProducePerf implements ResponseListener {

    /** Records appended per loop turn before the sockets are looked at again. */
    private static final int APPEND_CHUNK = 512;
    private static final long METADATA_TIMEOUT_MS = 60_000;
    /** Produce answers are small, Metadata for a big cluster is not: the largest response accepted. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final long PAYLOAD_SEED = 42;

    private final ProduceConfig config;
    private final PrintWriter out;
    private final Time time;
    private RecordAccumulator accumulator;
    private ProduceStats stats;
    private long completedRecords;

    public ProducePerf(ProduceConfig config, PrintWriter out, Time time) {
        this.config = config;
        this.out = out;
        this.time = time;
    }

    /** One leader and the partitions it leads, with the Produce version negotiated with it. */
    private static final class Leader {
        final BrokerConnection connection;
        final int[] partitions;
        final short produceVersion;
        int rotation;

        Leader(BrokerConnection connection, int[] partitions, short produceVersion) {
            this.connection = connection;
            this.partitions = partitions;
            this.produceVersion = produceVersion;
        }
    }

    public ProduceResult run() {
        ConnectionConfig connectionConfig = new ConnectionConfig(config.clientId(), config.maxInFlight(), config.maxRequestBytes(),
            MAX_RESPONSE_BYTES, config.requestTimeoutMs());
        try (PerfClient client = PerfClient.connect(config.bootstrap().host(), config.bootstrap().port(), connectionConfig, time)) {
            TopicMetadata metadata = client.topicMetadata(config.topic(), true, METADATA_TIMEOUT_MS);
            List<Leader> leaders = leaders(client, metadata);
            accumulator = new RecordAccumulator(metadata.partitionCount(), config.batchSizeBytes(), config.compression(),
                TimeUnit.MILLISECONDS.toNanos(config.lingerMs()), config.bufferMemoryBytes());
            return produce(client, leaders, new Partitioner(config.partitioner(), metadata.partitionCount()));
        }
    }

    private static List<Leader> leaders(PerfClient client, TopicMetadata metadata) {
        List<Leader> leaders = new ArrayList<>();
        for (Map.Entry<Integer, int[]> entry : metadata.partitionsByLeader().entrySet()) {
            BrokerConnection connection = client.connection(entry.getKey());
            leaders.add(new Leader(connection, entry.getValue(), connection.versions().versionOrThrow(ApiMessageType.PRODUCE)));
        }
        return leaders;
    }

    private ProduceResult produce(PerfClient client, List<Leader> leaders, Partitioner partitioner) {
        PayloadSource payload = new PayloadSource(config.recordSizeBytes(), PAYLOAD_SEED);
        long total = config.numRecords();
        long startNs = time.nanoseconds();
        long startMs = time.milliseconds();
        long reportIntervalNs = TimeUnit.MILLISECONDS.toNanos(config.reportIntervalMs());
        long nextReportNs = startNs + reportIntervalNs;
        FixedRateThrottle throttle = new FixedRateThrottle(config.throughput(), startNs);
        stats = new ProduceStats(config.recordSizeBytes(), startNs);
        long generated = 0;
        while (completedRecords < total) {
            long nowNs = time.nanoseconds();
            int appended = 0;
            while (generated < total && appended < APPEND_CHUNK) {
                if (throttle.isLimited() && throttle.dueNs(generated) > nowNs) {
                    break;
                }
                int partition = partitioner.peek();
                if (!accumulator.canAppend(partition)) {
                    break;
                }
                partitioner.partition();
                if (generated == config.warmupRecords()) {
                    stats.startMeasuring(nowNs);
                }
                long nowMs = startMs + (nowNs - startNs) / 1_000_000;
                boolean full = accumulator.append(partition, payload.pool(), payload.nextOffset(), config.recordSizeBytes(),
                    nowNs, nowMs, generated < config.warmupRecords());
                if (full) {
                    partitioner.onBatchFull(partition);
                }
                generated++;
                appended++;
                nowNs = time.nanoseconds();
            }
            boolean flush = generated == total;
            for (Leader leader : leaders) {
                sendReady(leader, nowNs, flush);
            }
            client.poll(waitNs(leaders, partitioner, throttle, generated, appended, nextReportNs, flush, nowNs));
            nowNs = time.nanoseconds();
            if (nowNs >= nextReportNs) {
                out.println(stats.windowLine(nowNs));
                out.flush();
                nextReportNs = nowNs + reportIntervalNs;
            }
        }
        return stats.result();
    }

    /** How long the loop may sleep in poll: until the next record is due, a batch lingers out or a report is due. */
    private long waitNs(List<Leader> leaders, Partitioner partitioner, FixedRateThrottle throttle, long generated, int appended,
                        long nextReportNs, boolean flush, long nowNs) {
        long wakeNs = nextReportNs;
        if (generated < config.numRecords() && accumulator.canAppend(partitioner.peek())) {
            if (appended == APPEND_CHUNK) {
                return 0;
            }
            wakeNs = Math.min(wakeNs, throttle.dueNs(generated));
        }
        for (Leader leader : leaders) {
            if (leader.connection.canSend()) {
                wakeNs = Math.min(wakeNs, flush && accumulatorHasWork(leader, nowNs) ? nowNs : accumulator.nextReadyNs(leader.partitions, nowNs));
            }
        }
        return Math.max(0, wakeNs - nowNs);
    }

    private boolean accumulatorHasWork(Leader leader, long nowNs) {
        for (int partition : leader.partitions) {
            if (accumulator.isReady(partition, nowNs, true)) {
                return true;
            }
        }
        return false;
    }

    /** Sends Produce requests to {@code leader} while it has free in-flight slots and ready batches. */
    private void sendReady(Leader leader, long nowNs, boolean flush) {
        boolean expectResponse = config.acks() != 0;
        while (leader.connection.canSend()) {
            List<ProducerBatch> batches = new ArrayList<>(Math.min(leader.partitions.length, 16));
            accumulator.drain(leader.partitions, leader.rotation++, nowNs, flush, config.maxRequestBytes(), batches);
            if (batches.isEmpty()) {
                return;
            }
            leader.connection.send(ApiMessageType.PRODUCE, leader.produceVersion, produceRequest(batches), expectResponse, this, batches, nowNs);
        }
    }

    private ProduceRequestData produceRequest(List<ProducerBatch> batches) {
        List<ProduceRequestData.PartitionProduceData> partitions = new ArrayList<>(batches.size());
        for (ProducerBatch batch : batches) {
            partitions.add(new ProduceRequestData.PartitionProduceData()
                .setIndex(batch.partition)
                .setRecords(new MemoryRecords(ByteBuffer.wrap(batch.buffer, 0, batch.wireSizeBytes))));
        }
        return new ProduceRequestData()
            .setTransactionalId(null)
            .setAcks(config.acks())
            .setTimeoutMs(config.requestTimeoutMs())
            .setTopicData(List.of(new ProduceRequestData.TopicProduceData().setName(config.topic()).setPartitionData(partitions)));
    }

    @Override
    public void onResponse(InFlightRequest request, ApiMessage response, long nowNs) {
        @SuppressWarnings("unchecked")
        List<ProducerBatch> batches = (List<ProducerBatch>) request.attachment();
        int answered = 0;
        for (ProduceResponseData.TopicProduceResponse topic : ((ProduceResponseData) response).responses()) {
            for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != 0) {
                    throw PerfException.brokerError("Produce to " + config.topic() + "-" + partition.index(),
                        partition.errorCode(), partition.errorMessage());
                }
                answered++;
            }
        }
        if (answered != batches.size()) {
            throw new PerfException("a Produce answer (correlation id " + request.correlationId() + ") covers " + answered
                + " partitions of the " + batches.size() + " sent");
        }
        complete(batches, nowNs);
    }

    /** acks=0: the request has left; the records count as sent, as Kafka's producer reports them. */
    @Override
    public void onSent(InFlightRequest request, long nowNs) {
        @SuppressWarnings("unchecked")
        List<ProducerBatch> batches = (List<ProducerBatch>) request.attachment();
        complete(batches, nowNs);
    }

    private void complete(List<ProducerBatch> batches, long nowNs) {
        for (int i = 0; i < batches.size(); i++) {
            ProducerBatch batch = batches.get(i);
            stats.onAcked(batch.sendNs, batch.recordCount, batch.warmupRecords, nowNs);
            completedRecords += batch.recordCount;
            accumulator.release(batch);
        }
    }
}
