package io.fjord.perf.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendBufferTest {

    /** A socket stand-in that takes at most {@code chunk} bytes per write. */
    private static final class SlowChannel implements WritableByteChannel {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int chunk;

        SlowChannel(int chunk) {
            this.chunk = chunk;
        }

        @Override
        public int write(ByteBuffer source) {
            int n = Math.min(chunk, source.remaining());
            for (int i = 0; i < n; i++) {
                written.write(source.get());
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldPrefixEachFrameWithItsSizeAndFlushAcrossPartialWrites() throws Exception {
        SendBuffer buffer = new SendBuffer(16, 1 << 20);
        int start = buffer.beginFrame();
        buffer.writeInt16((short) 18);
        buffer.writeInt64(42L);
        assertThat(buffer.endFrame(start)).isEqualTo(14);
        start = buffer.beginFrame();
        buffer.writeBytes(new byte[100]);
        buffer.endFrame(start);
        assertThat(buffer.bytesAppended()).isEqualTo(14 + 104);

        SlowChannel channel = new SlowChannel(7);
        while (buffer.pendingBytes() > 0) {
            buffer.flushTo(channel);
        }
        ByteBuffer out = ByteBuffer.wrap(channel.written.toByteArray());
        assertThat(out.remaining()).isEqualTo(118);
        assertThat(out.getInt()).isEqualTo(10);
        assertThat(out.getShort()).isEqualTo((short) 18);
        assertThat(out.getLong()).isEqualTo(42L);
        assertThat(out.getInt()).isEqualTo(100);
        assertThat(buffer.bytesFlushed()).isEqualTo(118);
    }

    @Test
    void shouldKeepUnsentBytesInOrderWhileNewFramesArrive() throws Exception {
        SendBuffer buffer = new SendBuffer(64, 1 << 20);
        SlowChannel channel = new SlowChannel(30);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int frame = 0; frame < 50; frame++) {
            int start = buffer.beginFrame();
            byte[] body = new byte[20 + frame];
            java.util.Arrays.fill(body, (byte) frame);
            buffer.writeBytes(body);
            buffer.endFrame(start);
            expected.write(ByteBuffer.allocate(4).putInt(body.length).array());
            expected.write(body);
            buffer.flushTo(channel);
        }
        while (buffer.pendingBytes() > 0) {
            buffer.flushTo(channel);
        }
        assertThat(channel.written.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void shouldDropAnAbortedFrameAndRefuseToGrowPastItsLimit() {
        SendBuffer buffer = new SendBuffer(16, 64);
        int start = buffer.beginFrame();
        assertThatThrownBy(() -> buffer.writeBytes(new byte[100])).isInstanceOf(IllegalStateException.class).hasMessageContaining("64");
        buffer.abortFrame(start);
        assertThat(buffer.pendingBytes()).isZero();
        assertThat(buffer.bytesAppended()).isZero();
    }
}
