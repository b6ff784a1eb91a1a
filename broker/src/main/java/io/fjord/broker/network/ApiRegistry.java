package io.fjord.broker.network;

import io.fjord.broker.handler.ApiHandler;
import io.fjord.common.Invariants;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The handlers this broker serves, by API key; what ApiVersions advertises. Immutable after start-up. */
public final class ApiRegistry {

    private final ApiHandler[] byKey = new ApiHandler[Short.MAX_VALUE];
    private final Map<Short, ApiHandler> sorted = new TreeMap<>();

    public ApiRegistry register(ApiHandler handler) {
        short key = handler.apiType().apiKey();
        Invariants.check(byKey[key] == null, "two handlers for api key %s", key);
        byKey[key] = handler;
        sorted.put(key, handler);
        return this;
    }

    /** The handler for {@code apiKey}, or null when Fjord does not serve it. */
    public ApiHandler handler(short apiKey) {
        return apiKey >= 0 && apiKey < byKey.length ? byKey[apiKey] : null;
    }

    /** Every handler, ordered by API key. */
    public Collection<ApiHandler> handlers() {
        return Collections.unmodifiableCollection(sorted.values());
    }
}
