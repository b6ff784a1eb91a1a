package io.fjord.protocol.message;

import io.fjord.common.Uuid;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.ByteBufferMessageWriter;
import io.fjord.protocol.types.MessageReader;
import io.fjord.protocol.types.ProtocolException;
import io.fjord.protocol.types.RawTaggedField;
import io.fjord.record.MemoryRecords;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conventions of the generated API that the broker relies on, one claim per test. */
class GeneratedMessageTest {

    @Test
    void shouldStartFromTheSpecDefaultsIncludingHexAndNullDefaults() {
        FetchRequestData fetch = new FetchRequestData();
        assertThat(fetch.maxBytes()).isEqualTo(Integer.MAX_VALUE);
        assertThat(fetch.isolationLevel()).isZero();
        assertThat(fetch.rackId()).isEmpty();
        assertThat(new MetadataRequestData().allowAutoTopicCreation()).isTrue();
        assertThat(new ProduceRequestData().transactionalId()).isNull();
        assertThat(new ProduceRequestData().topicData()).isEmpty();
        assertThat(new ProduceRequestData.PartitionProduceData().records()).isNull();
        assertThat(new FetchRequestData.FetchTopic().topicId()).isEqualTo(Uuid.ZERO);
    }

    @Test
    void shouldSkipFieldsTheTargetVersionLacksWithoutComplaint() {
        // AllowAutoTopicCreation exists from v4; a handler may set it and still answer a v3 client.
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of());
        assertThat(bytes(request, (short) 3)).isEqualTo(bytes(new MetadataRequestData().setTopics(List.of()), (short) 3));
    }

    @Test
    void shouldRefuseToWriteNullWhereTheVersionForbidsItNamingTheField() {
        // Topics is nullable from v1 only.
        MetadataRequestData request = new MetadataRequestData().setTopics(null);
        assertThatThrownBy(() -> bytes(request, (short) 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("topics");
        assertThat(bytes(request, (short) 1)).containsExactly(-1, -1, -1, -1);
    }

    @Test
    void shouldRejectANullOnTheWireWhereTheVersionForbidsIt() {
        ByteBuffer nullTopics = ByteBuffer.allocate(4).putInt(-1).flip();
        assertThatThrownBy(() -> new MetadataRequestData(new MessageReader(nullTopics), (short) 0))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("topics");
    }

    @Test
    void shouldKeepTheClassicClientIdEncodingInRequestHeaderV2() {
        RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey((short) 18).setRequestApiVersion((short) 3).setCorrelationId(7).setClientId("ab");
        // int16 key, int16 version, int32 correlation id, int16-length client id, empty tagged section.
        assertThat(bytes(header, (short) 2)).containsExactly(0, 18, 0, 3, 0, 0, 0, 7, 0, 2, 'a', 'b', 0);
    }

    @Test
    void shouldReadRecordsAsASliceOfTheRequestFrame() {
        byte[] batch = {9, 8, 7, 6};
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTopicData(List.of(
            new ProduceRequestData.TopicProduceData().setName("t").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setRecords(new MemoryRecords(ByteBuffer.wrap(batch)))))));
        byte[] frame = bytes(request, (short) 9);
        ProduceRequestData decoded = new ProduceRequestData(new MessageReader(ByteBuffer.wrap(frame)), (short) 9);
        MemoryRecords records = (MemoryRecords) decoded.topicData().get(0).partitionData().get(0).records();

        assertThat(records.buffer().hasArray()).isTrue();
        assertThat(records.buffer().array()).as("shares the frame's array").isSameAs(frame);
        assertThat(decoded).isEqualTo(request);
    }

    @Test
    void shouldKeepUnknownTaggedFieldsAndWriteThemBackMergedInTagOrder() {
        org.apache.kafka.common.message.ApiVersionsResponseData kafka =
            new org.apache.kafka.common.message.ApiVersionsResponseData().setZkMigrationReady(true);
        kafka.unknownTaggedFields().add(new org.apache.kafka.common.protocol.types.RawTaggedField(4, new byte[] {1, 2}));
        kafka.unknownTaggedFields().add(new org.apache.kafka.common.protocol.types.RawTaggedField(9, new byte[0]));
        byte[] kafkaBytes = kafkaBytes(kafka, (short) 3);

        ApiVersionsResponseData fjord = new ApiVersionsResponseData(new MessageReader(ByteBuffer.wrap(kafkaBytes)), (short) 3);

        assertThat(fjord.zkMigrationReady()).isTrue();
        assertThat(fjord.unknownTaggedFields())
            .containsExactly(new RawTaggedField(4, new byte[] {1, 2}), new RawTaggedField(9, new byte[0]));
        fjord.setFinalizedFeaturesEpoch(5);
        kafka.setFinalizedFeaturesEpoch(5);
        assertThat(bytes(fjord, (short) 3)).isEqualTo(kafkaBytes(kafka, (short) 3));
    }

    @Test
    void shouldDropTaggedFieldsWhenWritingAVersionBeforeFlexibleVersions() {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setZkMigrationReady(true);
        response.unknownTaggedFields().add(new RawTaggedField(7, new byte[] {1}));
        assertThat(bytes(response, (short) 2)).isEqualTo(bytes(new ApiVersionsResponseData(), (short) 2));
    }

    @Test
    void shouldWriteANullableTaggedStructOnlyWhenItDiffersFromItsDefault() {
        FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData();
        int withDefaults = partition.size((short) 12);
        partition.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch().setLeaderId(3).setLeaderEpoch(1));
        // Tag 1 (varint), size (varint), then the struct: two int32s and its own empty tagged section.
        assertThat(partition.size((short) 12)).isEqualTo(withDefaults + 1 + 1 + 9);
    }

    @Test
    void shouldCompareByValueAndRenderEveryField() {
        ApiMessage a = new CreateTopicsRequestData().setTimeoutMs(5).setTopics(List.of(
            new CreateTopicsRequestData.CreatableTopic().setName("orders").setNumPartitions(3)));
        ApiMessage b = new CreateTopicsRequestData().setTimeoutMs(5).setTopics(List.of(
            new CreateTopicsRequestData.CreatableTopic().setName("orders").setNumPartitions(3)));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).contains("timeoutMs=5", "name=orders", "numPartitions=3");
        assertThat(a.apiKey()).isEqualTo((short) 19);
        assertThat(new RequestHeaderData().apiKey()).isEqualTo((short) -1);
    }

    private static byte[] bytes(ApiMessage message, short version) {
        ByteBuffer buffer = ByteBufferMessageWriter.toByteBuffer(message, version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] kafkaBytes(org.apache.kafka.common.protocol.Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.array();
    }
}
