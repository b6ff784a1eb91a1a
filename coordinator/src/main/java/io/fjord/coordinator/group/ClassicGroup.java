package io.fjord.coordinator.group;

import io.fjord.common.Invariants;
import io.fjord.common.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.JoinGroupResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The state of one classic group: its {@link GroupState}, generation, selected protocol, leader,
 * members (static ones also by instance id), the members that were given an id but have not
 * joined yet (JoinGroup v4+, MEMBER_ID_REQUIRED), the members the current generation still waits
 * a SyncGroup from, the deadlines of the running rebalance, and the group's committed offsets.
 *
 * <p>A plain holder with small, state-local helpers; the protocol (what a request or a deadline
 * does to a group) lives in {@link ClassicGroupManager} and {@link OffsetManager}. Confined to the
 * coordinator thread of the {@code __consumer_offsets} partition the group maps to.
 */
final class ClassicGroup {

    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private GroupState previousState = GroupState.EMPTY;
    private long stateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final LinkedHashMap<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<String, Long> pendingMembers = new HashMap<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private int numMembersAwaitingJoin;
    private boolean newMemberAdded;
    private long joinDeadlineMs = NO_DEADLINE;
    private boolean initialDelayPhase;
    private int initialDelayRemainingMs;
    private long syncDeadlineMs = NO_DEADLINE;
    private Optional<Set<String>> subscribedTopics = Optional.empty();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean isInState(GroupState expected) {
        return state == expected;
    }

    GroupState previousState() {
        return previousState;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(GroupState target, long nowMs) {
        Invariants.check(target.validPreviousStates().contains(state), "group %s cannot go from %s to %s", groupId, state, target);
        previousState = state;
        state = target;
        stateTimestampMs = nowMs;
    }

    int generationId() {
        return generationId;
    }

    Optional<String> protocolType() {
        return Optional.ofNullable(protocolType);
    }

    Optional<String> protocolName() {
        return Optional.ofNullable(protocolName);
    }

    Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** Restores a persisted generation (replay); members are added separately. */
    void restore(GroupRecord.GroupMetadataValue value) {
        Invariants.check(value.generationId() >= generationId, "group %s generation went back from %d to %d on replay",
                groupId, generationId, value.generationId());
        generationId = value.generationId();
        protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
        protocolName = value.protocolName();
        leaderId = value.leaderId();
        previousState = state;
        state = value.members().isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        stateTimestampMs = value.currentStateTimestampMs();
    }

    /** Replay: the persisted leader, which {@link #add} may have guessed differently. */
    void restoreLeader(String persistedLeaderId) {
        if (persistedLeaderId != null && members.containsKey(persistedLeaderId)) {
            leaderId = persistedLeaderId;
        }
    }

    // ---- members

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    ClassicGroupMember member(String memberId) {
        ClassicGroupMember member = members.get(memberId);
        Invariants.check(member != null, "group %s has no member %s", groupId, memberId);
        return member;
    }

    Collection<ClassicGroupMember> members() {
        return members.values();
    }

    int numMembers() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    void add(ClassicGroupMember member) {
        Invariants.check(!members.containsKey(member.memberId()), "group %s already has member %s", groupId, member.memberId());
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        member.groupInstanceId().ifPresent(instanceId -> staticMembers.put(instanceId, member.memberId()));
        if (member.isAwaitingJoin()) {
            numMembersAwaitingJoin++;
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        pendingMembers.remove(member.memberId());
    }

    /** Removes a member; a leader leaving hands the role to the next member, if any. */
    void remove(String memberId) {
        ClassicGroupMember removed = members.remove(memberId);
        pendingMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
        if (removed == null) {
            return;
        }
        if (removed.isAwaitingJoin()) {
            numMembersAwaitingJoin--;
        }
        removed.groupInstanceId().ifPresent(staticMembers::remove);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /**
     * Replaces a static member's id, keeping its assignment and leadership. Whoever still waits on
     * the old id's JoinGroup or SyncGroup is fenced at once (FENCED_INSTANCE_ID), as in Kafka.
     */
    ClassicGroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        ClassicGroupMember old = members.remove(oldMemberId);
        Invariants.check(old != null, "group %s has no static member %s", groupId, oldMemberId);
        completeJoin(old, new JoinGroupResponseData().setMemberId(oldMemberId).setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        old.completeSync(new io.fjord.protocol.message.SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        ClassicGroupMember replacement = old.withMemberId(newMemberId);
        members.put(newMemberId, replacement);
        staticMembers.put(groupInstanceId, newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return replacement;
    }

    /** The member id registered for a static instance, if any. */
    Optional<String> staticMemberId(String groupInstanceId) {
        return Optional.ofNullable(staticMembers.get(groupInstanceId));
    }

    Set<String> staticMemberIds() {
        return new HashSet<>(staticMembers.values());
    }

    /**
     * Kafka's {@code validateMember}: a static member must present the member id registered for its
     * instance (else FENCED_INSTANCE_ID), a dynamic member must be known (else UNKNOWN_MEMBER_ID).
     */
    Optional<Errors> validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String registered = staticMembers.get(groupInstanceId);
            if (registered == null) {
                return Optional.of(Errors.UNKNOWN_MEMBER_ID);
            }
            if (!registered.equals(memberId)) {
                return Optional.of(Errors.FENCED_INSTANCE_ID);
            }
            return Optional.empty();
        }
        return members.containsKey(memberId) ? Optional.empty() : Optional.of(Errors.UNKNOWN_MEMBER_ID);
    }

    // ---- join phase bookkeeping

    void markAwaitingJoin(ClassicGroupMember member, CompletableFuture<JoinGroupResponseData> future) {
        if (!member.isAwaitingJoin()) {
            numMembersAwaitingJoin++;
        }
        member.setAwaitingJoin(future);
    }

    /**
     * Completes a member's parked JoinGroup and keeps the awaiting count right. A member being
     * removed must be completed before {@link #remove}, so it is counted down exactly once.
     */
    void completeJoin(ClassicGroupMember member, JoinGroupResponseData response) {
        if (member.completeJoin(response)) {
            numMembersAwaitingJoin--;
        }
    }

    int numMembersAwaitingJoin() {
        return numMembersAwaitingJoin;
    }

    boolean hasAllMembersJoined() {
        return members.size() == numMembersAwaitingJoin && pendingMembers.isEmpty();
    }

    List<ClassicGroupMember> notYetRejoinedMembers() {
        List<ClassicGroupMember> notJoined = new ArrayList<>();
        for (ClassicGroupMember member : members.values()) {
            if (!member.isAwaitingJoin()) {
                notJoined.add(member);
            }
        }
        return notJoined;
    }

    /** If the leader has not rejoined, makes the first rejoined member the leader; false when nobody rejoined. */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        ClassicGroupMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    void addPendingMember(String memberId, long deadlineMs) {
        pendingMembers.put(memberId, deadlineMs);
    }

    boolean isPendingMember(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    void removePendingMember(String memberId) {
        pendingMembers.remove(memberId);
    }

    Map<String, Long> pendingMembers() {
        return pendingMembers;
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean added) {
        this.newMemberAdded = added;
    }

    /** The largest rebalance timeout of any member: how long a join phase may take. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (ClassicGroupMember member : members.values()) {
            max = Math.max(max, member.rebalanceTimeoutMs());
        }
        return max;
    }

    /**
     * Can a member with these protocols join? An empty group takes any non-empty protocol list; a
     * group with members needs the same protocol type and a protocol every member supports.
     */
    boolean supportsProtocols(String memberProtocolType, List<ClassicGroupMember.Protocol> memberProtocols) {
        if (members.isEmpty()) {
            return !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        for (ClassicGroupMember.Protocol protocol : memberProtocols) {
            if (members.values().stream().allMatch(member -> member.supports(protocol.name()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kafka's protocol vote: among the protocols every member supports, each member votes for the
     * first in its own preference order; most votes wins, ties go to the leader's preference.
     */
    String selectProtocol() {
        List<String> candidates = new ArrayList<>();
        ClassicGroupMember first = leaderId != null && members.containsKey(leaderId) ? members.get(leaderId) : members.values().iterator().next();
        for (ClassicGroupMember.Protocol protocol : first.protocols()) {
            if (members.values().stream().allMatch(member -> member.supports(protocol.name()))) {
                candidates.add(protocol.name());
            }
        }
        Invariants.check(!candidates.isEmpty(), "group %s has no protocol every member supports", groupId);
        Map<String, Integer> votes = new HashMap<>();
        for (ClassicGroupMember member : members.values()) {
            for (ClassicGroupMember.Protocol protocol : member.protocols()) {
                if (candidates.contains(protocol.name())) {
                    votes.merge(protocol.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String winner = candidates.get(0);
        for (String candidate : candidates) {
            if (votes.getOrDefault(candidate, 0) > votes.getOrDefault(winner, 0)) {
                winner = candidate;
            }
        }
        return winner;
    }

    /** Starts the next generation: members present -> CompletingRebalance with a protocol; none -> Empty. */
    void initNextGeneration(long nowMs) {
        int previous = generationId;
        generationId++;
        Invariants.check(generationId > previous, "group %s generation must move forward", groupId);
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            subscribedTopics = Optional.empty();
            transitionTo(GroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    /** The member list the leader receives: every member with its metadata for the selected protocol. */
    List<JoinGroupResponseData.JoinGroupResponseMember> currentMembersForLeader() {
        List<JoinGroupResponseData.JoinGroupResponseMember> list = new ArrayList<>(members.size());
        for (ClassicGroupMember member : members.values()) {
            list.add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId().orElse(null))
                    .setMetadata(member.metadata(protocolName).orElse(ClassicGroupMember.EMPTY_ASSIGNMENT)));
        }
        return list;
    }

    Optional<Set<String>> subscribedTopics() {
        return subscribedTopics;
    }

    void setSubscribedTopics(Optional<Set<String>> topics) {
        this.subscribedTopics = topics;
    }

    // ---- deadlines of the running rebalance

    long joinDeadlineMs() {
        return joinDeadlineMs;
    }

    void setJoinDeadline(long deadlineMs, boolean initialDelay, int remainingMs) {
        this.joinDeadlineMs = deadlineMs;
        this.initialDelayPhase = initialDelay;
        this.initialDelayRemainingMs = remainingMs;
    }

    void clearJoinDeadline() {
        setJoinDeadline(NO_DEADLINE, false, 0);
    }

    boolean inInitialDelay() {
        return initialDelayPhase;
    }

    int initialDelayRemainingMs() {
        return initialDelayRemainingMs;
    }

    long syncDeadlineMs() {
        return syncDeadlineMs;
    }

    void setSyncDeadlineMs(long deadlineMs) {
        this.syncDeadlineMs = deadlineMs;
    }

    /** The earliest moment something in this group may time out. */
    long nextDeadlineMs() {
        long next = Math.min(joinDeadlineMs, syncDeadlineMs);
        for (ClassicGroupMember member : members.values()) {
            next = Math.min(next, member.heartbeatDeadlineMs());
        }
        for (long deadline : pendingMembers.values()) {
            next = Math.min(next, deadline);
        }
        return next;
    }

    // ---- offsets

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    boolean hasOffsets() {
        return !offsets.isEmpty();
    }

    @Override
    public String toString() {
        return "group " + groupId + " (" + state.displayName() + ", generation " + generationId + ", " + members.size() + " members)";
    }
}
