package io.fjord.broker;

import io.fjord.broker.server.FjordBroker;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.MetadataResponseData;
import io.fjord.protocol.message.ResponseHeaderData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.MessageReader;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.message.FetchRequestData;
import io.fjord.protocol.message.FetchResponseData;
import io.fjord.record.MemoryRecords;
import io.fjord.record.MemoryRecordsBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;

import static io.fjord.broker.RawClient.frame;
import static io.fjord.broker.RawClient.readFrame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The framing and version rules, spoken byte by byte over a real socket: KIP-511 ApiVersions
 * fallback, closing on unknown keys, unsupported versions, malformed and oversized frames — and
 * the broker keeps serving every other connection.
 */
class RawSocketIT {

    private static FjordBroker broker;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        broker = RawClient.startBroker("fjord-raw-", Map.of("socket.request.max.bytes", "1048576"));
        port = broker.boundEndpoints().get(0).port();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static boolean isClosedByBroker(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static ApiVersionsResponseData apiVersions(Socket socket, short version, int correlationId) throws IOException {
        socket.getOutputStream().write(frame(ApiMessageType.API_VERSIONS, version, correlationId, new ApiVersionsRequestData()
                .setClientSoftwareName("raw").setClientSoftwareVersion("1.0")));
        MessageReader reader = new MessageReader(readFrame(socket));
        ResponseHeaderData header = new ResponseHeaderData();
        header.read(reader, (short) 0);
        assertThat(header.correlationId()).isEqualTo(correlationId);
        ApiVersionsResponseData response = new ApiVersionsResponseData();
        response.read(reader, version);
        return response;
    }

    @Test
    void shouldAnswerEveryKnownApiVersionsVersionBehindAV0Header() throws IOException {
        try (Socket socket = connect()) {
            for (short version = 0; version <= 4; version++) {
                ApiVersionsResponseData response = apiVersions(socket, version, 100 + version);
                assertThat(response.errorCode()).isZero();
                assertThat(response.apiKeys()).anySatisfy(key -> {
                    assertThat(key.apiKey()).isEqualTo(ApiMessageType.PRODUCE.apiKey());
                    assertThat(key.minVersion()).isZero();
                });
            }
        }
    }

    @Test
    void shouldAnswerANewerApiVersionsVersionInV0FormatWithUnsupportedVersion() throws IOException {
        try (Socket socket = connect()) {
            // A version Fjord does not know: the body must not be parsed at all (KIP-511).
            ByteBuffer request = ByteBuffer.allocate(4 + 14 + 3);
            request.putInt(14 + 3).putShort(ApiMessageType.API_VERSIONS.apiKey()).putShort((short) 77).putInt(42)
                    .putShort((short) 4).put("java".getBytes()).put(new byte[]{0, 9, 9});
            socket.getOutputStream().write(request.array());
            MessageReader reader = new MessageReader(readFrame(socket));
            ResponseHeaderData header = new ResponseHeaderData();
            header.read(reader, (short) 0);
            ApiVersionsResponseData response = new ApiVersionsResponseData();
            response.read(reader, (short) 0);
            assertThat(header.correlationId()).isEqualTo(42);
            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(response.apiKeys()).singleElement().satisfies(key -> {
                assertThat(key.apiKey()).isEqualTo(ApiMessageType.API_VERSIONS.apiKey());
                assertThat(key.maxVersion()).isEqualTo((short) 4);
            });
        }
    }

    @Test
    void shouldCloseTheConnectionOnUnknownKeysBadVersionsAndGarbageButKeepServingOthers() throws IOException {
        byte[][] badFrames = {
                frame(ApiMessageType.PRODUCE, (short) 2, 1, new io.fjord.protocol.message.ProduceRequestData()),
                frame(ApiMessageType.METADATA, (short) 13, 1, new MetadataRequestData()),
                ByteBuffer.allocate(12).putInt(8).putShort((short) 999).putShort((short) 0).putInt(1).array(),
                ByteBuffer.allocate(8).putInt(-5).putInt(0).array(),
                ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array(),
                garbageFrame(new Random(7)),
        };
        try (Socket healthy = connect()) {
            for (byte[] bad : badFrames) {
                try (Socket socket = connect()) {
                    socket.getOutputStream().write(bad);
                    assertThat(isClosedByBroker(socket)).as("closed after %s", java.util.HexFormat.of().formatHex(bad, 0, Math.min(16, bad.length))).isTrue();
                }
                assertThat(apiVersions(healthy, (short) 3, 7).errorCode()).isZero();
            }
        }
    }

    private static byte[] garbageFrame(Random random) {
        byte[] body = new byte[64];
        random.nextBytes(body);
        // A Metadata v12 header followed by random bytes claiming huge arrays.
        ByteBuffer buffer = ByteBuffer.allocate(4 + 8 + body.length);
        buffer.putInt(8 + body.length).putShort(ApiMessageType.METADATA.apiKey()).putShort((short) 12).putInt(3).put(body);
        return buffer.array();
    }

    @Test
    void shouldSendNoResponseToAcksZeroProduceButAnswerTheNextRequest() throws IOException {
        MemoryRecords batch = MemoryRecordsBuilder.builder().append(System.currentTimeMillis(), "k", "v").build();
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("acks-zero")
                .setPartitionData(new java.util.ArrayList<>(java.util.List.of(
                        new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch)))));
        try (Socket socket = connect()) {
            // Create the topic through Metadata auto-creation first.
            socket.getOutputStream().write(frame(ApiMessageType.METADATA, (short) 12, 1, new MetadataRequestData()
                    .setTopics(new java.util.ArrayList<>(java.util.List.of(new MetadataRequestData.MetadataRequestTopic().setName("acks-zero"))))));
            readFrame(socket);
            socket.getOutputStream().write(frame(ApiMessageType.PRODUCE, (short) 9, 2, produce));
            socket.getOutputStream().write(frame(ApiMessageType.API_VERSIONS, (short) 2, 3, new ApiVersionsRequestData()));
            MessageReader reader = new MessageReader(readFrame(socket));
            ResponseHeaderData header = new ResponseHeaderData();
            header.read(reader, (short) 0);
            assertThat(header.correlationId()).as("the acks=0 produce is skipped, the next answer is ApiVersions").isEqualTo(3);
        }
        assertThat(broker.context().replicaManager().partitionOrThrow(new io.fjord.common.TopicPartition("acks-zero", 0))
                .log().logEndOffset()).isEqualTo(1);
    }

    @Test
    void shouldRefuseZstdBatchesToFetchesBelowVersion10() throws IOException {
        MemoryRecords batch = MemoryRecordsBuilder.builder().compression(io.fjord.record.CompressionType.ZSTD)
                .append(System.currentTimeMillis(), "k", "v".repeat(100)).build();
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("zstd-topic")
                .setPartitionData(new java.util.ArrayList<>(java.util.List.of(
                        new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch)))));
        try (Socket socket = connect()) {
            socket.getOutputStream().write(frame(ApiMessageType.METADATA, (short) 12, 1, new MetadataRequestData()
                    .setTopics(new java.util.ArrayList<>(java.util.List.of(new MetadataRequestData.MetadataRequestTopic().setName("zstd-topic"))))));
            readFrame(socket);
            socket.getOutputStream().write(frame(ApiMessageType.PRODUCE, (short) 9, 2, produce));
            readFrame(socket);
            for (short version : new short[]{9, 10}) {
                FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20);
                fetch.topics().add(new FetchRequestData.FetchTopic().setTopic("zstd-topic").setPartitions(new java.util.ArrayList<>(
                        java.util.List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
                socket.getOutputStream().write(frame(ApiMessageType.FETCH, version, 10 + version, fetch));
                MessageReader reader = new MessageReader(readFrame(socket));
                new ResponseHeaderData().read(reader, (short) 0);
                FetchResponseData response = new FetchResponseData();
                response.read(reader, version);
                FetchResponseData.PartitionData partition = response.responses().get(0).partitions().get(0);
                if (version < 10) {
                    assertThat(partition.errorCode()).isEqualTo(Errors.UNSUPPORTED_COMPRESSION_TYPE.code());
                } else {
                    assertThat(partition.errorCode()).isZero();
                    assertThat(partition.records().sizeInBytes()).isEqualTo(batch.sizeInBytes());
                }
            }
        }
    }

    @Test
    void shouldCapFetchResponsesAtTheBrokersFetchMaxBytesButAlwaysReturnTheFirstBatch() throws IOException {
        MemoryRecords batch = MemoryRecordsBuilder.builder().append(System.currentTimeMillis(), "k", "v".repeat(2000)).build();
        try (FjordBroker capped = RawClient.startBroker("fjord-fetch-cap-", Map.of("num.partitions", "2", "fetch.max.bytes", "1024"));
             Socket socket = new Socket("127.0.0.1", capped.boundEndpoints().get(0).port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(frame(ApiMessageType.METADATA, (short) 12, 1, new MetadataRequestData()
                    .setTopics(new java.util.ArrayList<>(java.util.List.of(new MetadataRequestData.MetadataRequestTopic().setName("capped"))))));
            readFrame(socket);
            ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
            produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("capped")
                    .setPartitionData(new java.util.ArrayList<>(java.util.List.of(
                            new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch),
                            new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(batch)))));
            socket.getOutputStream().write(frame(ApiMessageType.PRODUCE, (short) 9, 2, produce));
            readFrame(socket);
            FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20);
            fetch.topics().add(new FetchRequestData.FetchTopic().setTopic("capped").setPartitions(new java.util.ArrayList<>(java.util.List.of(
                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20),
                    new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
            socket.getOutputStream().write(frame(ApiMessageType.FETCH, (short) 12, 3, fetch));
            MessageReader reader = new MessageReader(readFrame(socket));
            new ResponseHeaderData().read(reader, (short) 1);
            FetchResponseData response = new FetchResponseData();
            response.read(reader, (short) 12);
            java.util.List<FetchResponseData.PartitionData> partitions = response.responses().get(0).partitions();
            assertThat(partitions.get(0).records().sizeInBytes()).as("the first batch goes out even above the cap")
                    .isEqualTo(batch.sizeInBytes());
            assertThat(partitions.get(1).records().sizeInBytes()).as("nothing more once the cap is reached").isZero();
            assertThat(partitions.get(1).highWatermark()).isEqualTo(1);
        }
    }

    @Test
    void shouldCloseIdleConnectionsAfterConnectionsMaxIdleMs() throws IOException {
        try (FjordBroker idleBroker = RawClient.startBroker("fjord-idle-", Map.of("connections.max.idle.ms", "300"));
             Socket socket = new Socket("127.0.0.1", idleBroker.boundEndpoints().get(0).port())) {
            socket.setSoTimeout(5_000);
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (int i = 0; i < 50; i++) {
                ApiMessageType type = i % 2 == 0 ? ApiMessageType.METADATA : ApiMessageType.API_VERSIONS;
                ApiMessage body = i % 2 == 0 ? new MetadataRequestData().setTopics(null) : new ApiVersionsRequestData();
                out.write(frame(type, (short) (i % 2 == 0 ? 12 : 2), i, body));
            }
            out.flush();
            for (int i = 0; i < 50; i++) {
                MessageReader reader = new MessageReader(readFrame(socket));
                ResponseHeaderData header = new ResponseHeaderData();
                header.read(reader, (short) (i % 2 == 0 ? 1 : 0));
                assertThat(header.correlationId()).isEqualTo(i);
                if (i % 2 == 0) {
                    MetadataResponseData metadata = new MetadataResponseData();
                    metadata.read(reader, (short) 12);
                    assertThat(metadata.brokers()).hasSize(1);
                }
            }
        }
    }

}
