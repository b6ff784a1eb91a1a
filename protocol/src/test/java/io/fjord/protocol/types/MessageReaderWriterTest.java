package io.fjord.protocol.types;

import io.fjord.common.Uuid;
import io.fjord.record.FileRecords;
import io.fjord.record.MemoryRecords;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written codec primitives: encodings, sizes and bounds. */
class MessageReaderWriterTest {

    @Property(tries = 500)
    void unsignedVarintsRoundTripInTheirComputedSize(@ForAll int value) {
        ByteBuffer bytes = written(writer -> writer.writeUnsignedVarint(value));
        assertThat(bytes.remaining()).isEqualTo(Varint.sizeOfUnsignedVarint(value));
        assertThat(new MessageReader(bytes).readUnsignedVarint()).isEqualTo(value);
    }

    @Property(tries = 500)
    void varintsRoundTripInTheirComputedSize(@ForAll int value) {
        ByteBuffer bytes = written(writer -> writer.writeVarint(value));
        assertThat(bytes.remaining()).isEqualTo(Varint.sizeOfVarint(value));
        assertThat(new MessageReader(bytes).readVarint()).isEqualTo(value);
    }

    @Property(tries = 500)
    void varlongsRoundTripInTheirComputedSize(@ForAll long value) {
        ByteBuffer bytes = written(writer -> writer.writeVarlong(value));
        assertThat(bytes.remaining()).isEqualTo(Varint.sizeOfVarlong(value));
        assertThat(new MessageReader(bytes).readVarlong()).isEqualTo(value);
    }

    @Property(tries = 500)
    void stringsRoundTripInTheirComputedSize(@ForAll String value, @ForAll boolean compact) {
        String bounded = value.length() > 1000 ? value.substring(0, 1000) : value;
        ByteBuffer bytes = written(writer -> writer.writeNullableString(bounded, compact));
        assertThat(bytes.remaining()).isEqualTo(MessageSizes.sizeOfNullableString(bounded, compact));
        assertThat(MessageSizes.utf8Length(bounded)).isEqualTo(bounded.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void shouldSizeUnpairedSurrogatesAsTheJdkEncodesThem() {
        for (String text : new String[] {"\uD800", "a\uDC00b", "\uD83D\uDE00", "\uDE00\uD83D", "€"}) {
            assertThat(MessageSizes.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void shouldRejectVarintsLongerThanFiveBytes() {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
        byte[] overflow = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F};
        assertThatThrownBy(() -> new MessageReader(ByteBuffer.wrap(sixBytes)).readUnsignedVarint())
            .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new MessageReader(ByteBuffer.wrap(overflow)).readUnsignedVarint())
            .isInstanceOf(ProtocolException.class);
    }

    @Test
    void shouldRejectVarlongsLongerThanTenBytes() {
        byte[] elevenBytes = new byte[11];
        java.util.Arrays.fill(elevenBytes, (byte) 0x80);
        assertThatThrownBy(() -> new MessageReader(ByteBuffer.wrap(elevenBytes)).readVarlong())
            .isInstanceOf(ProtocolException.class);
    }

    @Test
    void shouldFailCleanlyWhenTheBufferEndsInsideAPrimitive() {
        MessageReader reader = new MessageReader(ByteBuffer.wrap(new byte[3]));
        assertThatThrownBy(reader::readInt32).isInstanceOf(ProtocolException.class).hasMessageContaining("int32");
        assertThatThrownBy(reader::readUuid).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader.readBytes(4)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader.readBytes(-1)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void shouldRejectAnArrayCountAboveTheRemainingBytes() {
        ByteBuffer frame = ByteBuffer.allocate(8).putInt(5).putInt(0).flip();
        assertThatThrownBy(() -> new MessageReader(frame).readArrayLength(false))
            .isInstanceOf(ProtocolException.class)
            .hasMessage("array claims 5 elements but only 4 bytes remain");
    }

    @Test
    void shouldReadRecordsAsASliceOfTheInputWithoutCopying() {
        byte[] frame = {0, 0, 0, 3, 7, 8, 9};
        MemoryRecords records = new MessageReader(ByteBuffer.wrap(frame)).readNullableRecords(false);
        frame[5] = 42;
        assertThat(records.sizeInBytes()).isEqualTo(3);
        assertThat(records.buffer().get(records.buffer().position() + 1)).isEqualTo((byte) 42);
    }

    @Test
    void shouldLeaveTheCallersBufferPositionAlone() {
        ByteBuffer frame = ByteBuffer.allocate(8).putLong(1).flip();
        MessageReader reader = new MessageReader(frame);
        reader.readInt64();
        assertThat(frame.position()).isZero();
        assertThat(reader.remaining()).isZero();
    }

    @Test
    void shouldEncodeNullsAsKafkaDoes() {
        assertThat(written(writer -> writer.writeNullableString(null, false)).array()).startsWith(0xFF, 0xFF);
        assertThat(written(writer -> writer.writeNullableString(null, true)).remaining()).isEqualTo(1);
        assertThat(written(writer -> writer.writeNullableBytes(null, false)).getInt()).isEqualTo(-1);
        assertThat(written(writer -> writer.writeArrayLength(-1, true)).get()).isZero();
        assertThat(written(writer -> writer.writeArrayLength(2, true)).get()).isEqualTo((byte) 3);
    }

    @Test
    void shouldRejectOutOfRangeUnsignedValuesOnWrite() {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter();
        assertThatThrownBy(() -> writer.writeUnsignedInt16(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeUnsignedInt16(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeUnsignedInt32(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeNullableString("x".repeat(Short.MAX_VALUE + 1), false))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGrowFromAnEmptyBufferAndKeepEveryByte() {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(0);
        for (int i = 0; i < 1000; i++) {
            writer.writeInt32(i);
        }
        writer.writeUuid(new Uuid(1, 2));
        ByteBuffer bytes = writer.toByteBuffer();
        assertThat(bytes.remaining()).isEqualTo(4016);
        assertThat(bytes.getInt(999 * 4)).isEqualTo(999);
        assertThat(new MessageReader(bytes.position(4000)).readUuid()).isEqualTo(new Uuid(1, 2));
    }

    @Test
    void shouldWriteAFileRecordsRegionByReadingItFromTheFile(@TempDir Path dir) throws IOException {
        Path segment = dir.resolve("00000000000000000000.log");
        Files.write(segment, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer bytes = written(writer -> writer.writeNullableRecords(new FileRecords(channel, 2, 4), false));
            assertThat(bytes.getInt()).isEqualTo(4);
            assertThat(new byte[] {bytes.get(), bytes.get(), bytes.get(), bytes.get()}).containsExactly(3, 4, 5, 6);
        }
    }

    @Test
    void shouldTreatNullAndEmptyUnknownTaggedFieldListsAsEqual() {
        assertThat(RawTaggedField.listsEqual(null, java.util.List.of())).isTrue();
        assertThat(RawTaggedField.listsEqual(java.util.List.of(new RawTaggedField(1, new byte[] {1})), null)).isFalse();
        assertThat(new RawTaggedField(3, new byte[] {1, 2})).isEqualTo(new RawTaggedField(3, new byte[] {1, 2}));
    }

    private static ByteBuffer written(java.util.function.Consumer<MessageWriter> body) {
        ByteBufferMessageWriter writer = new ByteBufferMessageWriter(0);
        body.accept(writer);
        return writer.toByteBuffer();
    }
}
