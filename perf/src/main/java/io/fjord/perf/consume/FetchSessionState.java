package io.fjord.perf.consume;

import io.fjord.common.errors.Errors;

import java.util.Arrays;

/**
 * The client side of one leader's incremental fetch session (KIP-227), as Kafka's Java consumer
 * keeps it: the first Fetch (SessionId 0, SessionEpoch 0) lists every partition and asks for a
 * session; later ones name the session and the next epoch and list only the partitions whose
 * fetch offset moved since they were last sent — the broker remembers the rest. A broker that
 * answers SessionId 0 keeps the client on full fetches; FETCH_SESSION_ID_NOT_FOUND and
 * INVALID_FETCH_SESSION_EPOCH (the broker evicted the session, or restarted) start a new one.
 *
 * <p>Without sessions every request is sessionless (SessionId 0, SessionEpoch -1) and lists every
 * partition, as librdkafka and kafkajs fetch.
 *
 * <p>One request in flight at a time; owned by the consume loop's thread.
 */
final class FetchSessionState {

    private static final int NO_SESSION = 0;
    /** KIP-227's FINAL_EPOCH: naming a session, it closes it; with SessionId 0, the request is sessionless. */
    static final int FINAL_EPOCH = -1;
    private static final int SESSIONLESS_EPOCH = FINAL_EPOCH;
    private static final int INITIAL_EPOCH = 0;

    private final boolean enabled;
    private final boolean[] moved;
    private final int[] movedList;
    private int movedCount;
    private int sessionId = NO_SESSION;
    private int epoch = INITIAL_EPOCH;
    private boolean sentFull;

    /** {@code partitionCount}: the topic's partitions, indexed by partition number. */
    FetchSessionState(boolean enabled, int partitionCount) {
        this.enabled = enabled;
        this.moved = new boolean[partitionCount];
        this.movedList = new int[partitionCount];
    }

    /** Whether the next request must list every partition. */
    boolean nextIsFull() {
        return !enabled || sessionId == NO_SESSION;
    }

    /** The session the broker keeps for this client (the next request names it), or 0 when there is none. */
    int requestSessionId() {
        return enabled ? sessionId : NO_SESSION;
    }

    int requestEpoch() {
        if (!enabled) {
            return SESSIONLESS_EPOCH;
        }
        return sessionId == NO_SESSION ? INITIAL_EPOCH : epoch;
    }

    /** The fetch offset of {@code partition} moved: the next incremental request must carry it. */
    void moved(int partition) {
        if (!moved[partition]) {
            moved[partition] = true;
            movedList[movedCount++] = partition;
        }
    }

    /**
     * Records that a request is being sent and returns the partitions an incremental one lists (in
     * the order they moved); for a full request, which lists every partition, an empty array.
     */
    int[] sending() {
        sentFull = nextIsFull();
        int[] partitions = sentFull ? new int[0] : Arrays.copyOf(movedList, movedCount);
        for (int i = 0; i < movedCount; i++) {
            moved[movedList[i]] = false;
        }
        movedCount = 0;
        return partitions;
    }

    /** Whether a top-level error code means the broker no longer has this session (evicted, restarted). */
    static boolean isLost(short errorCode) {
        return errorCode == Errors.FETCH_SESSION_ID_NOT_FOUND.code() || errorCode == Errors.INVALID_FETCH_SESSION_EPOCH.code();
    }

    /** The session is gone: the next request is a full one asking for a new session. */
    void lost() {
        sessionId = NO_SESSION;
        epoch = INITIAL_EPOCH;
    }

    /** An error-free answer carrying {@code responseSessionId}: the session it opened, or the next epoch of the one it continues. */
    void answered(int responseSessionId) {
        if (!enabled) {
            return;
        }
        if (sentFull) {
            sessionId = responseSessionId;
            epoch = 1;
        } else {
            epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        }
    }
}
