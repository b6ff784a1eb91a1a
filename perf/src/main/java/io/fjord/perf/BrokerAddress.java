package io.fjord.perf;

/** One {@code host:port} to bootstrap from; IPv6 hosts may be written in brackets. Immutable. */
public record BrokerAddress(String host, int port) {

    public BrokerAddress {
        if (host == null || host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid broker address " + host + ":" + port);
        }
    }

    /** Parses {@code host:port}; throws {@link IllegalArgumentException} with a message fit for the user. */
    public static BrokerAddress parse(String text) {
        if (text.contains(",")) {
            throw new IllegalArgumentException("takes one host:port (fjord perf bootstraps from a single broker), got '" + text + "'");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expects host:port, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expects a numeric port, got '" + text + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got '" + text + "'");
        }
        return new BrokerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
