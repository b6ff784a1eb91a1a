package io.fjord.coordinator.group;

import io.fjord.protocol.message.JoinGroupResponseData;
import io.fjord.protocol.message.SyncGroupResponseData;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a classic group: who it is, the protocols it supports (opaque metadata bytes), its
 * assignment of the current generation (opaque bytes), its timeouts and the JoinGroup/SyncGroup
 * responses parked for it. Owned by its {@link ClassicGroup}; confined to the coordinator thread.
 */
final class ClassicGroupMember {

    static final byte[] EMPTY_ASSIGNMENT = new byte[0];
    /** The heartbeat deadline of a member whose deadline has fired without effect (Kafka's timer simply ends). */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    /** A protocol a member supports, with its metadata (the consumer's subscription for protocol type "consumer"). */
    record Protocol(String name, byte[] metadata) {
    }

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = EMPTY_ASSIGNMENT;
    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private boolean isNew;
    private long heartbeatDeadlineMs = NO_DEADLINE;

    ClassicGroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, String protocolType,
                       Timeouts timeouts, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.protocolType = protocolType;
        this.rebalanceTimeoutMs = timeouts.rebalanceTimeoutMs();
        this.sessionTimeoutMs = timeouts.sessionTimeoutMs();
        this.protocols = List.copyOf(protocols);
    }

    /** A member's two timeouts travel together. */
    record Timeouts(int rebalanceTimeoutMs, int sessionTimeoutMs) {
    }

    /**
     * A copy under a new member id (a static member re-joining with an unknown member id, KIP-345).
     * The copy keeps the assignment but none of the parked responses: the caller fences those.
     */
    ClassicGroupMember withMemberId(String newMemberId) {
        ClassicGroupMember copy = new ClassicGroupMember(newMemberId, groupInstanceId, clientId, clientHost, protocolType,
                new Timeouts(rebalanceTimeoutMs, sessionTimeoutMs), protocols);
        copy.assignment = assignment;
        return copy;
    }

    String memberId() {
        return memberId;
    }

    Optional<String> groupInstanceId() {
        return Optional.ofNullable(groupInstanceId);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    String protocolType() {
        return protocolType;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    void update(List<Protocol> newProtocols, Timeouts timeouts) {
        this.protocols = List.copyOf(newProtocols);
        this.rebalanceTimeoutMs = timeouts.rebalanceTimeoutMs();
        this.sessionTimeoutMs = timeouts.sessionTimeoutMs();
    }

    /** True when the member supports exactly these protocols, in this order, with the same metadata. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol mine = protocols.get(i);
            Protocol theirs = other.get(i);
            if (!mine.name().equals(theirs.name()) || !Arrays.equals(mine.metadata(), theirs.metadata())) {
                return false;
            }
        }
        return true;
    }

    boolean supports(String protocolName) {
        return metadata(protocolName).isPresent();
    }

    Optional<byte[]> metadata(String protocolName) {
        for (Protocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return Optional.of(protocol.metadata());
            }
        }
        return Optional.empty();
    }

    byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    void setAwaitingJoin(CompletableFuture<JoinGroupResponseData> future) {
        this.awaitingJoin = future;
    }

    void setAwaitingSync(CompletableFuture<SyncGroupResponseData> future) {
        this.awaitingSync = future;
    }

    /** Completes the parked JoinGroup, if any; true when there was one. */
    boolean completeJoin(JoinGroupResponseData response) {
        if (awaitingJoin == null) {
            return false;
        }
        CompletableFuture<JoinGroupResponseData> future = awaitingJoin;
        awaitingJoin = null;
        future.complete(response);
        return true;
    }

    /** Completes the parked SyncGroup, if any; true when there was one. */
    boolean completeSync(SyncGroupResponseData response) {
        if (awaitingSync == null) {
            return false;
        }
        CompletableFuture<SyncGroupResponseData> future = awaitingSync;
        awaitingSync = null;
        future.complete(response);
        return true;
    }

    boolean isNew() {
        return isNew;
    }

    void setNew(boolean isNew) {
        this.isNew = isNew;
    }

    long heartbeatDeadlineMs() {
        return heartbeatDeadlineMs;
    }

    void setHeartbeatDeadlineMs(long deadlineMs) {
        this.heartbeatDeadlineMs = deadlineMs;
    }

    /**
     * Kafka's {@code hasSatisfiedHeartbeat}: a member parked in a rebalance needs no heartbeat (the
     * rebalance timeout bounds it), except a new member, whose parked JoinGroup times out.
     */
    boolean hasSatisfiedHeartbeat() {
        if (isNew) {
            return false;
        }
        return isAwaitingJoin() || isAwaitingSync();
    }

    @Override
    public String toString() {
        return "member " + memberId + (groupInstanceId == null ? "" : " (instance " + groupInstanceId + ")");
    }
}
