package io.fjord.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CompressionTypeTest {

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldRoundTripEmptySmallRandomAndLargeInputs(CompressionType type) {
        SplittableRandom random = new SplittableRandom(7);
        for (int size : new int[] {0, 1, 100, 70_000, 300_000}) {
            byte[] random1 = new byte[size];
            random.nextBytes(random1);
            byte[] repetitive = new byte[size];
            for (int i = 0; i < size; i++) {
                repetitive[i] = (byte) (i % 17);
            }
            for (byte[] input : new byte[][] {random1, repetitive}) {
                ByteBuffer compressed = type.compress(ByteBuffer.wrap(input));
                ByteBuffer output = type.decompress(compressed, size);
                assertThat(RecordBatchViewTest.bytes(output)).as("%s size %d", type, size).isEqualTo(input);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRejectDecompressionBombs(CompressionType type) {
        ByteBuffer bomb = type.compress(ByteBuffer.wrap(new byte[4 << 20]));
        assertThat(bomb.remaining()).isLessThan(300_000);
        assertThatThrownBy(() -> type.decompress(bomb, 1 << 20)).isInstanceOf(ApiException.class)
            .hasMessageContaining("exceed").extracting(e -> ((ApiException) e).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldRejectGarbageAndTruncatedStreamsWithCorruptMessage(CompressionType type) {
        byte[] garbage = new byte[64];
        new SplittableRandom(3).nextBytes(garbage);
        ByteBuffer compressed = type.compress(ByteBuffer.wrap("hello hello hello hello".repeat(100).getBytes(StandardCharsets.UTF_8)));
        ByteBuffer truncated = compressed.duplicate().limit(compressed.remaining() / 2);
        for (ByteBuffer bad : new ByteBuffer[] {ByteBuffer.wrap(garbage), truncated}) {
            assertThatThrownBy(() -> type.decompress(bad, 1 << 20)).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void shouldReadHandBuiltRawSnappy() {
        // uncompressed length 9, literal "abc", copy offset 3 length 6.
        byte[] raw = HexFormat.of().parseHex("0908616263" + "0903");
        assertThat(new String(RecordBatchViewTest.bytes(CompressionType.SNAPPY.decompress(ByteBuffer.wrap(raw), 100)), StandardCharsets.US_ASCII))
            .isEqualTo("abcabcabc");
    }

    @Test
    void shouldReadHandBuiltXerialSnappyWithTwoChunks() {
        String header = "82534e4150505900" + "00000001" + "00000001";
        String chunk1 = "00000007" + "0908616263" + "0903";
        String chunk2 = "00000003" + "010078"; // literal "x"
        byte[] framed = HexFormat.of().parseHex(header + chunk1 + chunk2);
        assertThat(new String(RecordBatchViewTest.bytes(CompressionType.SNAPPY.decompress(ByteBuffer.wrap(framed), 100)), StandardCharsets.US_ASCII))
            .isEqualTo("abcabcabcx");
    }

    @Test
    void shouldWriteXerialFramingLikeTheJavaProducer() {
        ByteBuffer compressed = CompressionType.SNAPPY.compress(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(HexFormat.of().formatHex(RecordBatchViewTest.bytes(compressed)).substring(0, 16)).isEqualTo("82534e4150505900");
    }

    @Test
    void shouldWriteKafkaLz4FrameHeaderWithCorrectDescriptorChecksum() {
        ByteBuffer compressed = CompressionType.LZ4.compress(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
        // magic LE, FLG 0x60, BD 0x40, HC 0x82: the bytes every Kafka lz4 batch starts with.
        assertThat(HexFormat.of().formatHex(RecordBatchViewTest.bytes(compressed)).substring(0, 14)).isEqualTo("04224d18604082");
    }

    @Test
    void shouldReadLz4FrameWithContentSizeAndUncompressedBlock() {
        byte[] descriptor = HexFormat.of().parseHex("68400300000000000000");
        int hc = (XXHashFactory.safeInstance().hash32().hash(descriptor, 0, descriptor.length, 0) >> 8) & 0xFF;
        String frame = "04224d18" + HexFormat.of().formatHex(descriptor) + String.format("%02x", hc)
            + "03000080" + "616263" + "00000000";
        ByteBuffer out = CompressionType.LZ4.decompress(ByteBuffer.wrap(HexFormat.of().parseHex(frame)), 100);
        assertThat(new String(RecordBatchViewTest.bytes(out), StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void shouldRejectLz4FrameWithBadDescriptorChecksumOrDependentBlocks() {
        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(HexFormat.of().parseHex("04224d1860408300000000")), 100))
            .isInstanceOf(ApiException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> CompressionType.LZ4.decompress(ByteBuffer.wrap(HexFormat.of().parseHex("04224d1840408200000000")), 100))
            .isInstanceOf(ApiException.class).hasMessageContaining("dependent");
    }

    @Test
    void shouldReadGzipFromTheJdkStream() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(sink)) {
            out.write("gzip!".getBytes(StandardCharsets.US_ASCII));
        }
        ByteBuffer out = CompressionType.GZIP.decompress(ByteBuffer.wrap(sink.toByteArray()), 100);
        assertThat(new String(RecordBatchViewTest.bytes(out), StandardCharsets.US_ASCII)).isEqualTo("gzip!");
    }
}
