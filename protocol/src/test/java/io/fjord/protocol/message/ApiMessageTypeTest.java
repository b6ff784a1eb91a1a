package io.fjord.protocol.message;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated {@link ApiMessageType} agrees with Apache Kafka 4.1.2's {@code ApiKeys} and {@code ApiMessageType}. */
class ApiMessageTypeTest {

    @Test
    void shouldHaveOneConstantPerLiveKafkaApiKeyWithKafkasName() {
        Set<String> kafkaLive = Arrays.stream(ApiKeys.values())
            .filter(key -> key.messageType.lowestSupportedVersion() <= key.messageType.highestSupportedVersion(true))
            .map(Enum::name)
            .collect(Collectors.toSet());
        Set<String> fjord = Arrays.stream(ApiMessageType.values()).map(Enum::name).collect(Collectors.toSet());

        assertThat(fjord).isEqualTo(kafkaLive);
        for (ApiMessageType type : ApiMessageType.values()) {
            assertThat(ApiKeys.forId(type.apiKey()).name()).as("api key %d", type.apiKey()).isEqualTo(type.name());
        }
    }

    @Test
    void shouldMatchKafkaVersionRangesHeaderVersionsAndListeners() {
        for (ApiMessageType type : ApiMessageType.values()) {
            org.apache.kafka.common.message.ApiMessageType kafka = ApiKeys.forId(type.apiKey()).messageType;
            assertThat(type.lowestSupportedVersion()).as(type.name()).isEqualTo(kafka.lowestSupportedVersion());
            assertThat(type.highestSupportedVersion()).as(type.name()).isEqualTo(kafka.highestSupportedVersion(true));
            assertThat(type.latestVersionUnstable()).as(type.name()).isEqualTo(kafka.latestVersionUnstable());
            for (short v = type.lowestSupportedVersion(); v <= type.highestSupportedVersion(); v++) {
                assertThat(type.requestHeaderVersion(v)).as("%s v%d request header", type, v)
                    .isEqualTo(kafka.requestHeaderVersion(v));
                assertThat(type.responseHeaderVersion(v)).as("%s v%d response header", type, v)
                    .isEqualTo(kafka.responseHeaderVersion(v));
            }
            Set<String> kafkaListeners = kafka.listeners().stream()
                .map(listener -> listener.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
            assertThat(type.listeners()).as(type.name()).isEqualTo(kafkaListeners);
        }
    }

    @Test
    void shouldCreateTheRequestAndResponseClassesOfItsKey() {
        for (ApiMessageType type : ApiMessageType.values()) {
            assertThat(type.newRequest().getClass().getSimpleName()).isEqualTo(type.specName() + "RequestData");
            assertThat(type.newResponse().getClass().getSimpleName()).isEqualTo(type.specName() + "ResponseData");
            assertThat(type.newRequest().apiKey()).isEqualTo(type.apiKey());
            assertThat(type.newResponse().apiKey()).isEqualTo(type.apiKey());
            assertThat(type.newRequest().highestSupportedVersion()).isEqualTo(type.highestSupportedVersion());
        }
    }

    @Test
    void shouldAnswerApiVersionsWithResponseHeaderV0AtEveryVersionPerKip511() {
        ApiMessageType apiVersions = ApiMessageType.API_VERSIONS;
        for (short v = apiVersions.lowestSupportedVersion(); v <= apiVersions.highestSupportedVersion(); v++) {
            assertThat(apiVersions.responseHeaderVersion(v)).isZero();
        }
        assertThat(apiVersions.requestHeaderVersion((short) 3)).isEqualTo((short) 2);
    }

    @Test
    void shouldFindKeysByIdAndRejectUnknownOrRetiredOnes() {
        assertThat(ApiMessageType.fromApiKey((short) 0)).contains(ApiMessageType.PRODUCE);
        assertThat(ApiMessageType.fromApiKey((short) 18)).contains(ApiMessageType.API_VERSIONS);
        assertThat(ApiMessageType.fromApiKey((short) 4)).as("LeaderAndIsr is retired").isEmpty();
        assertThat(ApiMessageType.fromApiKey((short) -1)).isEmpty();
        assertThat(ApiMessageType.fromApiKey(Short.MAX_VALUE)).isEmpty();
    }
}
