package io.fjord.perf.consume;

import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.perf.PerfException;
import io.fjord.perf.client.BrokerConnection;
import io.fjord.perf.client.ConnectionConfig;
import io.fjord.perf.client.InFlightRequest;
import io.fjord.perf.client.PerfClient;
import io.fjord.perf.client.ResponseListener;
import io.fjord.perf.client.TopicMetadata;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.protocol.message.ListOffsetsRequestData;
import io.fjord.protocol.message.ListOffsetsResponseData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.record.BaseRecords;
import io.fjord.record.MemoryRecords;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The consume load: reads a topic from its earliest offsets, one Fetch in flight per leader, and
 * counts records and bytes from the batch headers ({@link BatchCounter}) until {@code numRecords}
 * have arrived or nothing has arrived for {@code timeoutMs}. By default each leader's fetches go
 * through an incremental fetch session ({@link FetchSessionState}), as Kafka's Java consumer
 * fetches: after the first request only partitions whose offset moved are sent, and only
 * partitions with news come back — over many partitions, most of every sessionless request and
 * answer is partitions with nothing to say. {@code --no-fetch-session} fetches sessionless
 * (SessionEpoch -1, every partition in every request), as librdkafka and kafkajs do. The run ends
 * by closing its sessions.
 *
 * <p>Full requests list the partitions in a rotating order so that no partition is always the one
 * the broker's byte limit cuts off (in a session the broker rotates them). A lost session starts a
 * new one; any other broker error code ends the run.
 *
 * <p>Used once per run by {@code ConsumeCommand}, on the caller's thread.
 */
public final class ConsumePerf implements ResponseListener {

    private static final long METADATA_TIMEOUT_MS = 60_000;
    private static final long EARLIEST_TIMESTAMP = -2L;
    private static final int CONSUMER_REPLICA_ID = -1;
    /** Fetch v7 added SessionId and SessionEpoch (KIP-227). */
    private static final short FIRST_SESSION_VERSION = 7;
    /** Room above fetch.max.bytes for headers and a first batch larger than the limits (KIP-74). */
    private static final int RESPONSE_SLACK_BYTES = 64 * 1024 * 1024;

    private final ConsumeConfig config;
    private final PrintWriter out;
    private final Time time;
    private final BatchCounter counter;
    private long[] positions;
    private long lastRecordNs;
    private long fetches;
    private long incrementalFetches;

    public ConsumePerf(ConsumeConfig config, PrintWriter out, Time time) {
        this.config = config;
        this.out = out;
        this.time = time;
        this.counter = new BatchCounter(config.checkCrc());
    }

    /** One leader, the partitions it leads and whether a Fetch to it awaits its answer. */
    private static final class Leader {
        final BrokerConnection connection;
        final int[] partitions;
        final short fetchVersion;
        final FetchSessionState session;
        int rotation;
        boolean fetching;

        Leader(BrokerConnection connection, int[] partitions, short fetchVersion, FetchSessionState session) {
            this.connection = connection;
            this.partitions = partitions;
            this.fetchVersion = fetchVersion;
            this.session = session;
        }
    }

    /**
     * Reads on {@code client}, which the caller keeps open: a warm-up read and the counted read that
     * follows it share one client, so the counted read starts with the connection, and the receive
     * buffer grown to the largest Fetch answer, that a consumer in service has — a fresh 50 MB
     * buffer costs tens of milliseconds of zeroing, a fixed cost no broker causes. An answer to a
     * previous run's fetch still in flight (one per leader at most) goes to that run's listener.
     */
    public ConsumeResult run(PerfClient client) {
        TopicMetadata metadata = client.topicMetadata(config.topic(), false, METADATA_TIMEOUT_MS);
        List<Leader> leaders = leaders(client, metadata, config.fetchSessions());
        positions = new long[metadata.partitionCount()];
        for (Leader leader : leaders) {
            listEarliestOffsets(client, leader);
        }
        ConsumeResult result = consume(client, leaders);
        closeSessions(client, leaders);
        return result;
    }

    /** A client whose receive limit fits the largest Fetch answer {@code config} can get. */
    public static PerfClient connect(ConsumeConfig config, Time time) {
        int maxResponseBytes = (int) Math.min(Integer.MAX_VALUE - 8L, (long) Math.max(config.fetchMaxBytes(), config.maxPartitionFetchBytes()) + RESPONSE_SLACK_BYTES);
        ConnectionConfig connectionConfig = new ConnectionConfig(config.clientId(), 1, 1024 * 1024, maxResponseBytes, config.requestTimeoutMs());
        return PerfClient.connect(config.bootstrap().host(), config.bootstrap().port(), connectionConfig, time);
    }

    private static List<Leader> leaders(PerfClient client, TopicMetadata metadata, boolean fetchSessions) {
        List<Leader> leaders = new ArrayList<>();
        for (Map.Entry<Integer, int[]> entry : metadata.partitionsByLeader().entrySet()) {
            BrokerConnection connection = client.connection(entry.getKey());
            short version = connection.versions().versionOrThrow(ApiMessageType.FETCH);
            FetchSessionState session = new FetchSessionState(fetchSessions && version >= FIRST_SESSION_VERSION, metadata.partitionCount());
            leaders.add(new Leader(connection, entry.getValue(), version, session));
        }
        return leaders;
    }

    private void listEarliestOffsets(PerfClient client, Leader leader) {
        List<ListOffsetsRequestData.ListOffsetsPartition> partitions = new ArrayList<>();
        for (int partition : leader.partitions) {
            partitions.add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(partition).setTimestamp(EARLIEST_TIMESTAMP));
        }
        ListOffsetsRequestData request = new ListOffsetsRequestData()
            .setReplicaId(CONSUMER_REPLICA_ID)
            .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName(config.topic()).setPartitions(partitions)));
        short version = leader.connection.versions().versionOrThrow(ApiMessageType.LIST_OFFSETS);
        ListOffsetsResponseData response = (ListOffsetsResponseData) client.sendAndWait(leader.connection, ApiMessageType.LIST_OFFSETS, version, request);
        int answered = 0;
        for (ListOffsetsResponseData.ListOffsetsTopicResponse topic : response.topics()) {
            for (ListOffsetsResponseData.ListOffsetsPartitionResponse partition : topic.partitions()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    throw PerfException.brokerError("ListOffsets (earliest) for " + config.topic() + "-" + partition.partitionIndex(),
                        partition.errorCode(), null);
                }
                positions[partition.partitionIndex()] = partition.offset();
                answered++;
            }
        }
        if (answered != leader.partitions.length) {
            throw new PerfException("ListOffsets from " + leader.connection.address() + " answered " + answered + " of "
                + leader.partitions.length + " partitions");
        }
    }

    private ConsumeResult consume(PerfClient client, List<Leader> leaders) {
        long startNs = time.nanoseconds();
        long timeoutNs = TimeUnit.MILLISECONDS.toNanos(config.timeoutMs());
        long reportIntervalNs = TimeUnit.MILLISECONDS.toNanos(config.reportIntervalMs());
        long nextReportNs = startNs + reportIntervalNs;
        long lastReportRecords = 0;
        long lastReportBytes = 0;
        lastRecordNs = startNs;
        boolean complete = true;
        while (counter.records() < config.numRecords()) {
            long nowNs = time.nanoseconds();
            for (Leader leader : leaders) {
                if (!leader.fetching) {
                    sendFetch(leader, nowNs);
                }
            }
            client.poll(Math.max(0, Math.min(nextReportNs, lastRecordNs + timeoutNs) - nowNs));
            nowNs = time.nanoseconds();
            if (counter.records() < config.numRecords() && nowNs - lastRecordNs > timeoutNs) {
                complete = false;
                out.printf(Locale.ROOT, "WARNING: Exiting before consuming the expected number of records: no record for %d ms "
                    + "(%d of %d received).%n", config.timeoutMs(), counter.records(), config.numRecords());
                break;
            }
            if (nowNs >= nextReportNs) {
                double seconds = (nowNs - nextReportNs + reportIntervalNs) / 1e9;
                out.printf(Locale.ROOT, "%d records received, %.1f records/sec (%.2f MB/sec).%n", counter.records() - lastReportRecords,
                    (counter.records() - lastReportRecords) / seconds, (counter.bytes() - lastReportBytes) / (1024.0 * 1024.0) / seconds);
                out.flush();
                lastReportRecords = counter.records();
                lastReportBytes = counter.bytes();
                nextReportNs = nowNs + reportIntervalNs;
            }
        }
        double seconds = Math.max(0, lastRecordNs - startNs) / 1e9;
        return new ConsumeResult(counter.records(), counter.bytes(), seconds, complete, fetches, incrementalFetches);
    }

    /**
     * Ends each leader's fetch session, as Kafka's consumer does when it closes: a Fetch naming the
     * session with the final epoch and no partitions, answered at once. A caller that reads again
     * (warm-up passes) opens a new session each time; left open, they would fill the broker's
     * session cache (1,000 slots by default, none evictable for two minutes) and leave other
     * consumers on full fetches. After the counted read the timing has already ended.
     */
    private void closeSessions(PerfClient client, List<Leader> leaders) {
        for (Leader leader : leaders) {
            int sessionId = leader.session.requestSessionId();
            if (sessionId == 0) {
                continue;
            }
            FetchRequestData request = new FetchRequestData()
                .setReplicaId(CONSUMER_REPLICA_ID)
                .setMaxWaitMs(0)
                .setMinBytes(0)
                .setMaxBytes(config.fetchMaxBytes())
                .setIsolationLevel((byte) 0)
                .setSessionId(sessionId)
                .setSessionEpoch(FetchSessionState.FINAL_EPOCH)
                .setTopics(List.of());
            // Any answer will do: an error means the broker no longer has the session either.
            client.sendAndWait(leader.connection, ApiMessageType.FETCH, leader.fetchVersion, request);
            leader.session.lost();
        }
    }

    private void sendFetch(Leader leader, long nowNs) {
        FetchSessionState session = leader.session;
        boolean full = session.nextIsFull();
        int sessionId = session.requestSessionId();
        int epoch = session.requestEpoch();
        int[] moved = session.sending();
        List<FetchRequestData.FetchPartition> partitions;
        if (full) {
            int count = leader.partitions.length;
            partitions = new ArrayList<>(count);
            int start = leader.rotation++ % count;
            for (int i = 0; i < count; i++) {
                partitions.add(fetchPartition(leader.partitions[(start + i) % count]));
            }
        } else {
            partitions = new ArrayList<>(moved.length);
            for (int partition : moved) {
                partitions.add(fetchPartition(partition));
            }
        }
        FetchRequestData request = new FetchRequestData()
            .setReplicaId(CONSUMER_REPLICA_ID)
            .setMaxWaitMs(config.fetchMaxWaitMs())
            .setMinBytes(1)
            .setMaxBytes(config.fetchMaxBytes())
            .setIsolationLevel((byte) 0)
            .setSessionId(sessionId)
            .setSessionEpoch(epoch)
            .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(config.topic()).setPartitions(partitions)));
        leader.connection.send(ApiMessageType.FETCH, leader.fetchVersion, request, true, this, leader, nowNs);
        leader.fetching = true;
        fetches++;
        if (!full) {
            incrementalFetches++;
        }
    }

    private FetchRequestData.FetchPartition fetchPartition(int partition) {
        return new FetchRequestData.FetchPartition()
            .setPartition(partition)
            .setFetchOffset(positions[partition])
            .setPartitionMaxBytes(config.maxPartitionFetchBytes());
    }

    @Override
    public void onResponse(InFlightRequest request, ApiMessage response, long nowNs) {
        Leader leader = (Leader) request.attachment();
        leader.fetching = false;
        FetchResponseData fetch = (FetchResponseData) response;
        if (FetchSessionState.isLost(fetch.errorCode())) {
            leader.session.lost();
            return;
        }
        if (fetch.errorCode() != Errors.NONE.code()) {
            throw PerfException.brokerError("Fetch from " + leader.connection.address(), fetch.errorCode(), null);
        }
        leader.session.answered(fetch.sessionId());
        long recordsBefore = counter.records();
        for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                int index = partition.partitionIndex();
                if (index < 0 || index >= positions.length) {
                    throw new PerfException("a Fetch answer from " + leader.connection.address() + " names partition " + index
                        + " of a topic with " + positions.length);
                }
                String name = config.topic() + "-" + index;
                if (partition.errorCode() != Errors.NONE.code()) {
                    throw PerfException.brokerError("Fetch from " + name + " at offset " + positions[index], partition.errorCode(), null);
                }
                BaseRecords records = partition.records();
                if (records instanceof MemoryRecords memory && memory.sizeInBytes() > 0) {
                    long next = counter.count(memory, positions[index], name);
                    if (next != positions[index]) {
                        positions[index] = next;
                        leader.session.moved(index);
                    }
                }
            }
        }
        if (counter.records() > recordsBefore) {
            lastRecordNs = nowNs;
        }
    }
}
