package io.fjord.storage;

/** A topic config value that cannot be used; names the key so the broker can answer INVALID_CONFIG with it. */
public final class ConfigException extends RuntimeException {

    private final String key;
    private final String value;

    public ConfigException(String key, String value, String reason) {
        super("Invalid value " + value + " for configuration " + key + ": " + reason);
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
