package io.fjord.broker.server;

import io.fjord.common.Time;
import io.fjord.common.Uuid;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Incremental fetch sessions (KIP-227, Fetch v7 and up). A consumer's first fetch (epoch 0) names
 * every partition it reads; the broker answers with a session id and remembers the partitions with
 * their fetch parameters and the offsets it last reported. Later fetches (epoch 1, 2, ...) carry
 * only the partitions whose fetch offset changed, plus the ones to forget, and the response carries
 * only the partitions with something new: records, an error, or a moved high watermark, log start
 * or last stable offset. At 1,000 partitions of which a fetch fills fifty, that is fifty entries each
 * way instead of a thousand, for the broker and, above all, for the client, which otherwise handles
 * every empty partition of every response.
 *
 * <p>Epoch -1 asks for no session (librdkafka and kafkajs fetch that way); a full fetch with a
 * session id closes that session. An unknown id answers FETCH_SESSION_ID_NOT_FOUND and a wrong
 * epoch INVALID_FETCH_SESSION_EPOCH; the client then starts over with a full fetch. Partitions that
 * answered are moved to the end of the session's order, so a response capped by {@code
 * fetch.max.bytes} gives every partition its turn.
 *
 * <p>At most {@code max.incremental.fetch.session.cache.slots} sessions live (Kafka's default
 * 1,000). When all are taken a new session may evict one that has been idle for two minutes, or
 * else the smallest session older than two minutes if the new one has more partitions (Kafka's
 * rule, without follower privilege: Fjord has no followers yet); otherwise the fetch goes without
 * a session, which every client handles by fetching in full.
 *
 * <p>Thread-safe: one lock guards the cache and every session in it. Each fetch holds it once to
 * open its context and once to answer, for work proportional to its partitions.
 */
public final class FetchSessionCache {

    /** The session id of a fetch that has no session. */
    public static final int NO_SESSION = 0;
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;
    /** Kafka's min.incremental.fetch.session.eviction.ms: younger sessions are only evicted when idle this long. */
    static final long EVICTION_MS = 120_000;

    /** A partition as a fetch request names it: by topic name (v12 and below) or by topic id (v13 and up). */
    public record PartitionKey(String topic, Uuid topicId, int partition) {
    }

    /** One partition a fetch reads, with its parameters from the request or from the session. */
    public record Wanted(PartitionKey key, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
    }

    /** What reading one wanted partition produced. */
    public record Read(Wanted wanted, FetchResponseData.PartitionData data) {
    }

    /** The partitions one fetch reads, and how its response is built from what was read. */
    public abstract static sealed class Context permits Sessionless, Full, Incremental, Failed {
        private final List<Wanted> partitions;

        Context(List<Wanted> partitions) {
            this.partitions = partitions;
        }

        /** The partitions to read, in the order to read them. */
        public final List<Wanted> partitions() {
            return partitions;
        }

        /** The response for {@code reads} (one per {@link #partitions()} entry); updates the session. Call once. */
        public abstract FetchResponseData respond(List<Read> reads);
    }

    private final int maxSlots;
    private final Time time;
    private final Map<Integer, Session> sessions = new HashMap<>();

    public FetchSessionCache(int maxSlots, Time time) {
        this.maxSlots = maxSlots;
        this.time = time;
    }

    /** Opens the context of one fetch request of {@code version}: sessionless, full, incremental or a session error. */
    public Context newContext(FetchRequestData request, short version) {
        List<Wanted> requested = requested(request);
        int sessionId = request.sessionId();
        int epoch = request.sessionEpoch();
        if (version < 7) {
            return new Sessionless(requested);
        }
        if (epoch == INITIAL_EPOCH || epoch == FINAL_EPOCH) {
            if (sessionId != NO_SESSION) {
                synchronized (this) {
                    sessions.remove(sessionId);
                }
            }
            return epoch == FINAL_EPOCH ? new Sessionless(requested) : new Full(requested);
        }
        synchronized (this) {
            Session session = sessions.get(sessionId);
            if (session == null) {
                return new Failed(Errors.FETCH_SESSION_ID_NOT_FOUND);
            }
            if (session.epoch != epoch) {
                return new Failed(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            session.update(requested, request.forgottenTopicsData());
            if (session.partitions.isEmpty()) {
                sessions.remove(sessionId);
                return new Sessionless(requested);
            }
            session.epoch = nextEpoch(epoch);
            session.lastUsedMs = time.milliseconds();
            return new Incremental(session, session.epoch, session.snapshot());
        }
    }

    /** How many sessions are open. */
    public synchronized int size() {
        return sessions.size();
    }

    private static List<Wanted> requested(FetchRequestData request) {
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                wanted.add(new Wanted(new PartitionKey(topic.topic(), topic.topicId(), partition.partition()),
                        partition.fetchOffset(), partition.partitionMaxBytes(), partition.currentLeaderEpoch()));
            }
        }
        return wanted;
    }

    static int nextEpoch(int epoch) {
        if (epoch < 0) {
            return FINAL_EPOCH;
        }
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    /** Registers a session for a full fetch's answer, or returns {@link #NO_SESSION} when there is no room. */
    private synchronized int maybeCreate(List<Read> reads) {
        long now = time.milliseconds();
        if (reads.isEmpty() || !makeRoom(reads.size(), now)) {
            return NO_SESSION;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        Session session = new Session(id, now);
        for (Read read : reads) {
            Cached cached = new Cached(read.wanted());
            cached.changedBy(read.data());
            session.partitions.put(read.wanted().key(), cached);
        }
        sessions.put(id, session);
        return id;
    }

    /** Kafka's eviction rule; scans the sessions, which only happens when every slot is taken. */
    private boolean makeRoom(int size, long now) {
        if (sessions.size() < maxSlots) {
            return true;
        }
        Session leastRecentlyUsed = null;
        Session smallestSettled = null;
        for (Session session : sessions.values()) {
            if (leastRecentlyUsed == null || session.lastUsedMs < leastRecentlyUsed.lastUsedMs) {
                leastRecentlyUsed = session;
            }
            if (now - session.createdMs > EVICTION_MS && (smallestSettled == null
                    || session.partitions.size() < smallestSettled.partitions.size()
                    || (session.partitions.size() == smallestSettled.partitions.size() && session.id < smallestSettled.id))) {
                smallestSettled = session;
            }
        }
        if (leastRecentlyUsed != null && now - leastRecentlyUsed.lastUsedMs > EVICTION_MS) {
            sessions.remove(leastRecentlyUsed.id);
            return true;
        }
        if (smallestSettled != null && size > smallestSettled.partitions.size()) {
            sessions.remove(smallestSettled.id);
            return true;
        }
        return false;
    }

    /** Groups consecutive partitions of one topic under one topic entry, in the order given. */
    private static FetchResponseData response(List<Read> reads, int sessionId) {
        FetchResponseData response = new FetchResponseData().setSessionId(sessionId);
        FetchResponseData.FetchableTopicResponse topic = null;
        PartitionKey topicKey = null;
        for (Read read : reads) {
            PartitionKey key = read.wanted().key();
            if (topic == null || !Objects.equals(key.topic(), topicKey.topic()) || !Objects.equals(key.topicId(), topicKey.topicId())) {
                topic = new FetchResponseData.FetchableTopicResponse().setTopic(key.topic()).setTopicId(key.topicId())
                        .setPartitions(new ArrayList<>());
                topicKey = key;
                response.responses().add(topic);
            }
            topic.partitions().add(read.data());
        }
        return response;
    }

    /** No session: every requested partition is read and answered. */
    static final class Sessionless extends Context {
        Sessionless(List<Wanted> partitions) {
            super(partitions);
        }

        @Override
        public FetchResponseData respond(List<Read> reads) {
            return response(reads, NO_SESSION);
        }
    }

    /** Epoch 0: every requested partition is answered, and a session is opened from the answer if there is room. */
    final class Full extends Context {
        Full(List<Wanted> partitions) {
            super(partitions);
        }

        @Override
        public FetchResponseData respond(List<Read> reads) {
            return response(reads, maybeCreate(reads));
        }
    }

    /** Epoch 1 and up: every session partition is read; only those with news are answered. */
    final class Incremental extends Context {
        private final Session session;
        private final int expectedEpoch;

        Incremental(Session session, int expectedEpoch, List<Wanted> partitions) {
            super(partitions);
            this.session = session;
            this.expectedEpoch = expectedEpoch;
        }

        @Override
        public FetchResponseData respond(List<Read> reads) {
            synchronized (FetchSessionCache.this) {
                if (session.epoch != expectedEpoch) {
                    // A later request of this session (a duplicate or a retry) overtook this one.
                    return new FetchResponseData().setErrorCode(Errors.INVALID_FETCH_SESSION_EPOCH.code()).setSessionId(session.id);
                }
                List<Read> changed = new ArrayList<>();
                for (Read read : reads) {
                    PartitionKey key = read.wanted().key();
                    Cached cached = session.partitions.get(key);
                    if (cached != null && cached.changedBy(read.data())) {
                        changed.add(read);
                        session.partitions.remove(key);
                        session.partitions.put(key, cached);
                    }
                }
                return response(changed, session.id);
            }
        }
    }

    /** A session error: no partition is read; the client starts over with a full fetch. */
    static final class Failed extends Context {
        private final Errors error;

        Failed(Errors error) {
            super(List.of());
            this.error = error;
        }

        @Override
        public FetchResponseData respond(List<Read> reads) {
            return new FetchResponseData().setErrorCode(error.code()).setSessionId(NO_SESSION);
        }
    }

    /** One open session; guarded by the cache's lock. */
    private static final class Session {
        final int id;
        final long createdMs;
        long lastUsedMs;
        int epoch = nextEpoch(INITIAL_EPOCH);
        /** The session's partitions in reading order; those that answered move to the end. */
        final LinkedHashMap<PartitionKey, Cached> partitions = new LinkedHashMap<>();

        Session(int id, long nowMs) {
            this.id = id;
            this.createdMs = nowMs;
            this.lastUsedMs = nowMs;
        }

        void update(List<Wanted> requested, List<FetchRequestData.ForgottenTopic> forgotten) {
            for (Wanted wanted : requested) {
                Cached cached = partitions.get(wanted.key());
                if (cached == null) {
                    partitions.put(wanted.key(), new Cached(wanted));
                } else {
                    cached.wanted = wanted;
                }
            }
            for (FetchRequestData.ForgottenTopic topic : forgotten) {
                for (int partition : topic.partitions()) {
                    partitions.remove(new PartitionKey(topic.topic(), topic.topicId(), partition));
                }
            }
        }

        List<Wanted> snapshot() {
            List<Wanted> wanted = new ArrayList<>(partitions.size());
            for (Cached cached : partitions.values()) {
                wanted.add(cached.wanted);
            }
            return wanted;
        }
    }

    /** A session partition: its fetch parameters and the offsets last sent for it (-1: not yet sent). */
    private static final class Cached {
        Wanted wanted;
        long highWatermark = -1;
        long lastStableOffset = -1;
        long logStartOffset = -1;

        Cached(Wanted wanted) {
            this.wanted = wanted;
        }

        /** Whether {@code data} tells the client something new; remembers what it tells. */
        boolean changedBy(FetchResponseData.PartitionData data) {
            boolean changed = data.records() != null && data.records().sizeInBytes() > 0;
            if (data.errorCode() != Errors.NONE.code()) {
                // Sent again once the error clears.
                highWatermark = -1;
                return true;
            }
            if (highWatermark != data.highWatermark() || lastStableOffset != data.lastStableOffset()
                    || logStartOffset != data.logStartOffset()) {
                highWatermark = data.highWatermark();
                lastStableOffset = data.lastStableOffset();
                logStartOffset = data.logStartOffset();
                changed = true;
            }
            return changed;
        }
    }
}
