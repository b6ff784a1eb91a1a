package io.fjord.broker.config;

/** A broker config value that cannot be used; the message names the key, the value and why. */
public final class BrokerConfigException extends RuntimeException {

    public BrokerConfigException(String key, String value, String reason) {
        super("Invalid value " + value + " for configuration " + key + ": " + reason);
    }

    public BrokerConfigException(String message) {
        super(message);
    }
}
