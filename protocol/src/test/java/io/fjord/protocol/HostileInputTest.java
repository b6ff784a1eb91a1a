package io.fjord.protocol;

import io.fjord.protocol.generator.MessageSpec;
import io.fjord.protocol.message.ApiVersionsResponseData;
import io.fjord.protocol.message.CreateTopicsRequestData;
import io.fjord.protocol.message.MetadataRequestData;
import io.fjord.protocol.message.ProduceRequestData;
import io.fjord.protocol.types.ApiMessage;
import io.fjord.protocol.types.ByteBufferMessageWriter;
import io.fjord.protocol.types.MessageReader;
import io.fjord.protocol.types.ProtocolException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Frames from a hostile or broken peer: truncated at every length, randomly mutated, pure garbage,
 * or claiming huge element counts. Decoding must fail with {@link ProtocolException} (or succeed on
 * bytes that happen to be valid); never another exception, an OOM or a hang.
 */
class HostileInputTest {

    private static final long SEED = 20_240_601L;
    private static final List<String> BIG_MESSAGES =
        List.of("ProduceRequest", "FetchRequest", "MetadataRequest", "CreateTopicsRequest");

    @Test
    void shouldRejectEveryTruncationOfBigRequestsWithProtocolException() {
        for (String name : BIG_MESSAGES) {
            MessageSpec spec = KafkaSpecs.byName(name);
            for (short version : new short[] {spec.validVersions().lowest(), spec.validVersions().highest()}) {
                byte[] frame = encode(new RandomMessages(spec, new Random(SEED)).populated(version), version);
                for (int length = 0; length < frame.length; length++) {
                    byte[] truncated = Arrays.copyOf(frame, length);
                    int cut = length;
                    assertThatThrownBy(() -> decode(spec, truncated, version))
                        .as("%s v%d cut to %d of %d bytes (seed %d)", name, version, cut, frame.length, SEED)
                        .isInstanceOf(ProtocolException.class);
                }
            }
        }
    }

    @Test
    void shouldDecodeOrRejectRandomlyMutatedBigRequests() {
        Random random = new Random(SEED);
        for (String name : BIG_MESSAGES) {
            MessageSpec spec = KafkaSpecs.byName(name);
            for (short version = spec.validVersions().lowest(); version <= spec.validVersions().highest(); version++) {
                byte[] frame = encode(new RandomMessages(spec, new Random(SEED + version)).populated(version), version);
                for (int trial = 0; trial < 200; trial++) {
                    byte[] mutated = frame.clone();
                    for (int flips = 1 + random.nextInt(3); flips > 0 && mutated.length > 0; flips--) {
                        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt();
                    }
                    assertDecodesOrFailsCleanly(spec, mutated, version);
                }
            }
        }
    }

    @Property(tries = 300, seed = "20240601")
    void shouldDecodeOrRejectGarbageAsAnyBigRequest(@ForAll @Size(max = 300) byte[] garbage) {
        for (String name : BIG_MESSAGES) {
            MessageSpec spec = KafkaSpecs.byName(name);
            assertDecodesOrFailsCleanly(spec, garbage, spec.validVersions().lowest());
            assertDecodesOrFailsCleanly(spec, garbage, spec.validVersions().highest());
        }
    }

    @Test
    void shouldRejectAClassicArrayClaimingMaxIntElementsBeforeAllocating() {
        // CreateTopics v2: Topics is an int32-counted array; claim 2^31-1 topics with 6 bytes behind.
        ByteBuffer frame = ByteBuffer.allocate(10).putInt(Integer.MAX_VALUE).putInt(0).putShort((short) 0).flip();
        assertThatThrownBy(() -> new CreateTopicsRequestData(new MessageReader(frame), (short) 2))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("2147483647");
    }

    @Test
    void shouldRejectACompactArrayClaimingMaxIntElementsBeforeAllocating() {
        // CreateTopics v5 (flexible): count + 1 = 2^31 does not fit; 2^31-1 claims more elements than bytes.
        byte[] tooLarge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0, 0, 0};
        byte[] tooMany = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0, 0, 0};
        assertThatThrownBy(() -> new CreateTopicsRequestData(new MessageReader(ByteBuffer.wrap(tooLarge)), (short) 5))
            .isInstanceOf(ProtocolException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> new CreateTopicsRequestData(new MessageReader(ByteBuffer.wrap(tooMany)), (short) 5))
            .isInstanceOf(ProtocolException.class).hasMessageContaining("2147483646");
    }

    @Test
    void shouldRejectAStringLongerThanTheBytesThatFollow() {
        // Metadata v4: Topics array of one, then a name claiming 32767 bytes with 3 behind it.
        ByteBuffer frame = ByteBuffer.allocate(9).putInt(1).putShort(Short.MAX_VALUE).put(new byte[3]).flip();
        assertThatThrownBy(() -> new MetadataRequestData(new MessageReader(frame), (short) 4))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("32767");
    }

    @Test
    void shouldRejectRecordsLongerThanTheFrame() {
        // Produce v3: TransactionalId null, Acks, TimeoutMs, one topic "t", one partition whose records claim 1 GiB.
        ByteBuffer frame = ByteBuffer.allocate(32)
            .putShort((short) -1).putShort((short) 1).putInt(1000)
            .putInt(1).putShort((short) 1).put((byte) 't')
            .putInt(1).putInt(0).putInt(1 << 30).put(new byte[4])
            .flip();
        assertThatThrownBy(() -> new ProduceRequestData(new MessageReader(frame), (short) 3))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("records claims 1073741824 bytes");
    }

    @Test
    void shouldRejectATaggedFieldDeclaringMoreBytesThanRemain() {
        // Metadata v12: empty Topics, two bools, then one unknown tag 5 claiming 127 bytes with 1 behind.
        byte[] body = {0x01, 0x00, 0x00, 0x01, 0x05, 0x7F, 0x00};
        assertThatThrownBy(() -> new MetadataRequestData(new MessageReader(ByteBuffer.wrap(body)), (short) 12))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("claims 127 bytes");
    }

    @Test
    void shouldRejectAKnownTaggedFieldWhoseValueIsShorterThanItsDeclaredSize() {
        // ApiVersions response v3: ErrorCode, empty ApiKeys, ThrottleTimeMs, then tag 3 (ZkMigrationReady,
        // a 1-byte bool) declared as 2 bytes.
        byte[] body = {0, 0, 0x01, 0, 0, 0, 0, 0x01, 0x03, 0x02, 0x01, 0x00};
        assertThatThrownBy(() -> new ApiVersionsResponseData(new MessageReader(ByteBuffer.wrap(body)), (short) 3))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("declares 2 bytes but its value took 1");
    }

    private static void assertDecodesOrFailsCleanly(MessageSpec spec, byte[] bytes, short version) {
        assertThatCode(() -> {
            try {
                decode(spec, bytes, version);
            } catch (ProtocolException expected) {
                // A clean rejection is the other acceptable outcome.
            }
        }).as("%s v%d on %d bytes", spec.name(), version, bytes.length).doesNotThrowAnyException();
    }

    private static void decode(MessageSpec spec, byte[] bytes, short version) {
        RandomMessages.newFjordMessage(spec).read(new MessageReader(ByteBuffer.wrap(bytes)), version);
    }

    private static byte[] encode(ApiMessage message, short version) {
        ByteBuffer buffer = ByteBufferMessageWriter.toByteBuffer(message, version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
