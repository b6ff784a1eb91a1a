package io.fjord.record;

/** Attribute bit 3 of a v2 batch: whose clock the batch's timestamps come from. */
public enum TimestampType {
    CREATE_TIME("CreateTime"),
    LOG_APPEND_TIME("LogAppendTime");

    private final String configName;

    TimestampType(String configName) {
        this.configName = configName;
    }

    /** The value as Kafka's {@code message.timestamp.type} topic config spells it. */
    public String configName() {
        return configName;
    }

    public static TimestampType forConfigName(String name) {
        for (TimestampType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown timestamp type " + name);
    }
}
