package io.fjord.coordinator.group;

/**
 * Where a KIP-848 member is in reconciling its assignment towards the group's target assignment
 * (Kafka's {@code MemberState}). Persisted by its {@link #code()}.
 *
 * <pre>
 * from                   event                                         to
 * any                    target has partitions the member still owns   UNREVOKED_PARTITIONS (epoch unchanged;
 *                                                                       the member is told to revoke them)
 * UNREVOKED_PARTITIONS   heartbeat reports they are gone               next state computed again below
 * any                    nothing to revoke, some target partitions     UNRELEASED_PARTITIONS (epoch bumped to the
 *                        still owned by other members                   target epoch; gets the free partitions)
 * UNRELEASED_PARTITIONS  the others release them                       STABLE (gets them)
 * any                    nothing to revoke, all target partitions free STABLE (epoch = target epoch)
 * </pre>
 */
enum ConsumerMemberState {
    STABLE((byte) 0, "Stable"),
    UNREVOKED_PARTITIONS((byte) 1, "UnrevokedPartitions"),
    UNRELEASED_PARTITIONS((byte) 2, "UnreleasedPartitions");

    private final byte code;
    private final String displayName;

    ConsumerMemberState(byte code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    byte code() {
        return code;
    }

    String displayName() {
        return displayName;
    }

    static ConsumerMemberState fromCode(byte code) {
        for (ConsumerMemberState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalStateException("corrupt coordinator record: unknown member state " + code);
    }
}
