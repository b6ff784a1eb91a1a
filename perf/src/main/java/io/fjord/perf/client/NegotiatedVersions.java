package io.fjord.perf.client;

import io.fjord.perf.PerfException;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ApiVersionsResponseData;

import java.util.EnumMap;
import java.util.Map;

/**
 * The request version fjord perf uses for each API on one broker: the highest version that both
 * fjord perf and the broker's ApiVersions answer support, as the Java client does
 * ({@code NodeApiVersions.latestUsableVersion}, PROTOCOL.md §2.3). An API whose ranges do not meet
 * has no version; asking for it throws a {@link PerfException} naming both ranges.
 *
 * <p>Fjord perf's own ranges: Produce 3-12 and Fetch 4-12 address topics by name (v13 needs topic
 * ids); Metadata from 4 (the first version with AllowAutoTopicCreation); ListOffsets from 1 (the
 * 4.x floor). Immutable.
 */
public final class NegotiatedVersions {

    /** fjord perf's supported range per API: {min, max}. */
    static final Map<ApiMessageType, short[]> CLIENT_RANGES = clientRanges();

    private final String broker;
    private final Map<ApiMessageType, short[]> brokerRanges;
    private final Map<ApiMessageType, Short> chosen;

    private NegotiatedVersions(String broker, Map<ApiMessageType, short[]> brokerRanges, Map<ApiMessageType, Short> chosen) {
        this.broker = broker;
        this.brokerRanges = brokerRanges;
        this.chosen = chosen;
    }

    private static Map<ApiMessageType, short[]> clientRanges() {
        Map<ApiMessageType, short[]> ranges = new EnumMap<>(ApiMessageType.class);
        ranges.put(ApiMessageType.PRODUCE, new short[] {3, 12});
        ranges.put(ApiMessageType.FETCH, new short[] {4, 12});
        ranges.put(ApiMessageType.METADATA, new short[] {4, 12});
        ranges.put(ApiMessageType.LIST_OFFSETS, new short[] {1, 10});
        return ranges;
    }

    /** Chooses a version per API from the broker's answer; {@code broker} names it in error messages. */
    public static NegotiatedVersions from(String broker, ApiVersionsResponseData response) {
        Map<ApiMessageType, short[]> brokerRanges = new EnumMap<>(ApiMessageType.class);
        Map<ApiMessageType, Short> chosen = new EnumMap<>(ApiMessageType.class);
        for (ApiVersionsResponseData.ApiVersion version : response.apiKeys()) {
            ApiMessageType.fromApiKey(version.apiKey()).ifPresent(api -> {
                if (!CLIENT_RANGES.containsKey(api)) {
                    return;
                }
                brokerRanges.put(api, new short[] {version.minVersion(), version.maxVersion()});
                short[] client = CLIENT_RANGES.get(api);
                short highest = (short) Math.min(client[1], version.maxVersion());
                if (highest >= client[0] && highest >= version.minVersion()) {
                    chosen.put(api, highest);
                }
            });
        }
        return new NegotiatedVersions(broker, brokerRanges, chosen);
    }

    /** The version to send {@code api} at; throws when the broker offers no version fjord perf can use. */
    public short versionOrThrow(ApiMessageType api) {
        Short version = chosen.get(api);
        if (version != null) {
            return version;
        }
        short[] client = CLIENT_RANGES.get(api);
        short[] offered = brokerRanges.get(api);
        String offeredText = offered == null ? "does not offer " + api.specName() : "offers " + api.specName() + " versions " + offered[0] + "-" + offered[1];
        throw new PerfException("the broker at " + broker + " " + offeredText + "; fjord perf needs a version in "
            + (client == null ? "(none)" : client[0] + "-" + client[1]));
    }
}
