package io.fjord.protocol;

import io.fjord.protocol.generator.MessageSpec;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.ByteBufferMessageWriter;
import io.fjord.protocol.types.MessageReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every spec (all request/response pairs of {@code ApiMessageType}, the headers and the embedded
 * data structures) at every valid version: random messages round-trip through Fjord, and Fjord's
 * bytes equal Apache Kafka 4.1.2's in both directions.
 *
 * <p>Byte identity holds everywhere, including map-keyed collections (Kafka keeps insertion order)
 * and tagged fields (both write them in ascending tag order, only when non-default). A failure
 * names the spec, version and seed; rerun with that seed in {@link RandomMessages} to reproduce.
 */
class MessageRoundTripTest {

    private static final int MESSAGES_PER_VERSION = 4;

    @TestFactory
    Stream<DynamicTest> populatedMessagesRoundTripThroughFjordAndKafkaWithIdenticalBytes() {
        return KafkaSpecs.all().stream().flatMap(spec -> versions(spec).mapToObj(version ->
            dynamicTest(spec.name() + " v" + version, () -> {
                for (int i = 0; i < MESSAGES_PER_VERSION; i++) {
                    checkPopulatedMessage(spec, (short) version, seed(spec, version, i));
                }
            })));
    }

    @Test
    void shouldCoverTheRequestAndResponseOfEveryApiMessageTypeOverItsWholeVersionRange() {
        for (ApiMessageType type : ApiMessageType.values()) {
            for (String suffix : new String[] {"Request", "Response"}) {
                MessageSpec spec = KafkaSpecs.byName(type.specName() + suffix);
                assertThat(spec.validVersions().lowest()).as(spec.name()).isEqualTo(type.lowestSupportedVersion());
                assertThat(spec.validVersions().highest()).as(spec.name()).isEqualTo(type.highestSupportedVersion());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> kafkaDefaultMessagesDecodeInFjordAndReencodeToIdenticalBytes() {
        return KafkaSpecs.all().stream().flatMap(spec -> versions(spec).mapToObj(version ->
            dynamicTest(spec.name() + " v" + version, () -> {
                short v = (short) version;
                byte[] kafkaBytes = KafkaCodec.write(KafkaCodec.newMessage(spec), v);
                ApiMessage decoded = readFjord(spec, kafkaBytes, v);
                assertThat(decoded).as("%s v%d decoded from Kafka's default", spec.name(), v)
                    .isEqualTo(RandomMessages.newFjordMessage(spec));
                assertThat(hex(fjordBytes(decoded, v))).as("%s v%d", spec.name(), v).isEqualTo(hex(kafkaBytes));
            })));
    }

    private static void checkPopulatedMessage(MessageSpec spec, short version, long seed) {
        String reproduce = spec.name() + " v" + version + " seed " + seed;
        ApiMessage original = new RandomMessages(spec, new Random(seed)).populated(version);
        byte[] fjordBytes = fjordBytes(original, version);
        assertThat(fjordBytes.length).as("size() of %s", reproduce).isEqualTo(original.size(version));

        ApiMessage decoded = readFjord(spec, fjordBytes, version);
        assertThat(decoded).as("Fjord round trip of %s", reproduce).isEqualTo(original);
        assertThat(decoded.hashCode()).as("hashCode of %s", reproduce).isEqualTo(original.hashCode());

        byte[] kafkaBytes = KafkaCodec.write(KafkaCodec.read(spec, fjordBytes, version), version);
        assertThat(hex(kafkaBytes)).as("Kafka re-encoding of Fjord's %s", reproduce).isEqualTo(hex(fjordBytes));

        ApiMessage fromKafka = readFjord(spec, kafkaBytes, version);
        assertThat(fromKafka).as("Fjord decoding of Kafka's %s", reproduce).isEqualTo(original);
        assertThat(hex(fjordBytes(fromKafka, version))).as("Fjord re-encoding of Kafka's %s", reproduce)
            .isEqualTo(hex(kafkaBytes));
    }

    static ApiMessage readFjord(MessageSpec spec, byte[] bytes, short version) {
        ApiMessage message = RandomMessages.newFjordMessage(spec);
        MessageReader reader = new MessageReader(ByteBuffer.wrap(bytes));
        message.read(reader, version);
        assertThat(reader.remaining()).as("bytes left after reading %s v%d", spec.name(), version).isZero();
        return message;
    }

    static byte[] fjordBytes(ApiMessage message, short version) {
        ByteBuffer buffer = ByteBufferMessageWriter.toByteBuffer(message, version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static IntStream versions(MessageSpec spec) {
        return IntStream.rangeClosed(spec.validVersions().lowest(), spec.validVersions().highest());
    }

    private static long seed(MessageSpec spec, int version, int iteration) {
        return ((long) spec.name().hashCode() << 20) ^ ((long) version << 8) ^ iteration;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
