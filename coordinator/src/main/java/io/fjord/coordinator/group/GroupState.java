package io.fjord.coordinator.group;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The state of a classic group (Kafka's {@code ClassicGroupState}); an enum because it is shown to
 * clients (ListGroups, DescribeGroups) under Kafka's names and its transitions are checked.
 *
 * <pre>
 *  from \ to            | Empty | PreparingRebalance | CompletingRebalance | Stable | Dead
 *  ---------------------+-------+--------------------+---------------------+--------+-----
 *  Empty                |       | first member joins |                     |        | offsets expired / group deleted / unloaded
 *  PreparingRebalance   | join phase ends with no members | | join phase ends with members |  | unloaded
 *  CompletingRebalance  |       | member joins/leaves/expires, sync timeout | | leader's SyncGroup stored | unloaded
 *  Stable               |       | member joins/leaves/expires, leader rejoins | |  | unloaded
 *  Dead                 |       |                    |                     |        |
 * </pre>
 * The join phase ends when every known member has rejoined, or when the rebalance timeout (or,
 * from Empty, {@code group.initial.rebalance.delay.ms}) passes. Each completed join phase starts a
 * new generation; generations only move forward.
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String displayName;

    GroupState(String displayName) {
        this.displayName = displayName;
    }

    /** The name Kafka shows: {@code Empty}, {@code PreparingRebalance}, ... */
    public String displayName() {
        return displayName;
    }

    /** The states a group may come from to enter this one. */
    Set<GroupState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> Set.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> Set.of(EMPTY, COMPLETING_REBALANCE, STABLE);
            case COMPLETING_REBALANCE -> Set.of(PREPARING_REBALANCE);
            case STABLE -> Set.of(COMPLETING_REBALANCE);
            case DEAD -> Set.of(EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD);
        };
    }

    /** Parses a ListGroups states filter entry; case-insensitive as in Kafka's new coordinator. */
    public static Optional<GroupState> parse(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (GroupState state : values()) {
            if (state.displayName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
