package io.fjord.perf.client;

import io.fjord.perf.PerfException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ApiVersionsResponseData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NegotiatedVersionsTest {

    private static ApiVersionsResponseData.ApiVersion api(ApiMessageType type, int min, int max) {
        return new ApiVersionsResponseData.ApiVersion().setApiKey(type.apiKey()).setMinVersion((short) min).setMaxVersion((short) max);
    }

    @Test
    void shouldPickTheHighestVersionBothSidesSupport() {
        ApiVersionsResponseData kafka41 = new ApiVersionsResponseData().setApiKeys(List.of(
            api(ApiMessageType.PRODUCE, 0, 13), api(ApiMessageType.FETCH, 4, 18),
            api(ApiMessageType.METADATA, 0, 13), api(ApiMessageType.LIST_OFFSETS, 1, 10)));
        NegotiatedVersions versions = NegotiatedVersions.from("127.0.0.1:9092", kafka41);
        assertThat(versions.versionOrThrow(ApiMessageType.PRODUCE)).isEqualTo((short) 12);
        assertThat(versions.versionOrThrow(ApiMessageType.FETCH)).isEqualTo((short) 12);
        assertThat(versions.versionOrThrow(ApiMessageType.METADATA)).isEqualTo((short) 12);
        assertThat(versions.versionOrThrow(ApiMessageType.LIST_OFFSETS)).isEqualTo((short) 10);
    }

    @Test
    void shouldFollowAnOlderBrokerDown() {
        ApiVersionsResponseData old = new ApiVersionsResponseData().setApiKeys(List.of(
            api(ApiMessageType.PRODUCE, 0, 7), api(ApiMessageType.FETCH, 0, 11)));
        NegotiatedVersions versions = NegotiatedVersions.from("old:9092", old);
        assertThat(versions.versionOrThrow(ApiMessageType.PRODUCE)).isEqualTo((short) 7);
        assertThat(versions.versionOrThrow(ApiMessageType.FETCH)).isEqualTo((short) 11);
    }

    @Test
    void shouldNameBothRangesWhenTheyDoNotMeet() {
        ApiVersionsResponseData tooOld = new ApiVersionsResponseData().setApiKeys(List.of(api(ApiMessageType.PRODUCE, 0, 2)));
        NegotiatedVersions versions = NegotiatedVersions.from("old:9092", tooOld);
        assertThatThrownBy(() -> versions.versionOrThrow(ApiMessageType.PRODUCE))
            .isInstanceOf(PerfException.class)
            .hasMessageContaining("old:9092").hasMessageContaining("Produce versions 0-2").hasMessageContaining("3-12");
        assertThatThrownBy(() -> versions.versionOrThrow(ApiMessageType.FETCH))
            .isInstanceOf(PerfException.class).hasMessageContaining("does not offer Fetch");
    }
}
