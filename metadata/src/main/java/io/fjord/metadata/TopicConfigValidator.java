package io.fjord.metadata;

import java.util.Map;

/**
 * Checks topic config overrides (names and values) before the controller commits them. The broker
 * implements it with the storage module's topic config definitions, which the metadata core does
 * not see.
 */
@FunctionalInterface
public interface TopicConfigValidator {

    /** Throws {@link io.fjord.common.errors.ApiException} with INVALID_CONFIG naming the bad key. */
    void validate(Map<String, String> topicConfigs);
}
