package io.fjord.broker.network;

import io.netty.channel.DefaultFileRegion;

import java.nio.channels.FileChannel;

/**
 * A sendfile region over a segment's file channel that does not close the channel when released:
 * the channel belongs to the segment and serves every reader. Extending {@link DefaultFileRegion}
 * keeps Netty's native epoll sendfile path (it checks for that class).
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The segment owns the channel; closing it here would break every other reader.
    }
}
