package io.fjord.broker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A listener: {@code NAME://host:port}, Kafka's syntax ({@code PLAINTEXT://127.0.0.1:9092}, {@code PLAINTEXT://:9092}). */
public record Endpoint(String listenerName, String host, int port) {

    static List<Endpoint> parseList(String key, String text) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                endpoints.add(parse(key, part.trim()));
            }
        }
        if (endpoints.isEmpty()) {
            throw new BrokerConfigException(key, text, "names no listener");
        }
        return endpoints;
    }

    static Endpoint parse(String key, String text) {
        int scheme = text.indexOf("://");
        int colon = text.lastIndexOf(':');
        if (scheme <= 0 || colon <= scheme + 2) {
            throw new BrokerConfigException(key, text, "expected LISTENER_NAME://host:port");
        }
        String name = text.substring(0, scheme).toUpperCase(Locale.ROOT);
        String host = text.substring(scheme + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BrokerConfigException(key, text, "the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new BrokerConfigException(key, text, "the port must be between 0 and 65535");
        }
        if (!name.equals("PLAINTEXT")) {
            throw new BrokerConfigException(key, text, "only PLAINTEXT listeners are supported so far (TLS and SASL come with the security milestone)");
        }
        return new Endpoint(name, host, port);
    }

    /** The host to bind: an empty host means every interface, as in Kafka. */
    public String bindHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    /** The endpoint as clients should see it: an empty or wildcard host becomes the machine's name. */
    Endpoint advertisable() {
        if (!host.isEmpty() && !host.equals("0.0.0.0") && !host.equals("::")) {
            return this;
        }
        try {
            return new Endpoint(listenerName, InetAddress.getLocalHost().getCanonicalHostName(), port);
        } catch (UnknownHostException e) {
            return new Endpoint(listenerName, "localhost", port);
        }
    }

    @Override
    public String toString() {
        return listenerName + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public Endpoint withPort(int boundPort) {
        return new Endpoint(listenerName, host, boundPort);
    }
}
