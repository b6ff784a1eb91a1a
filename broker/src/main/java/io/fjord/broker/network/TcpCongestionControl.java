package io.fjord.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Linux's per-socket TCP congestion control ({@code setsockopt(TCP_CONGESTION)}) on a listening
 * socket, which every connection it accepts inherits: {@code socket.tcp.congestion.control}. Netty's
 * epoll transport sets the raw option; there is no Java socket option for it.
 *
 * <p>Why a broker wants it: congestion control governs what the broker sends, and a broker sends
 * fetch responses of up to {@code fetch.max.bytes}. Machines that default to BBR without the fq
 * qdisc pace every such flow with a kernel timer per burst, loopback included, at the connection's
 * bandwidth estimate; on this project's benchmark machines a 1M × 1 KiB read over 1,000 partitions
 * ran at 1.7-3.7 GB/s (median 3.0) that way and at 2.8-4.1 (median 3.4) with cubic set here, while
 * 6 partitions read faster with BBR (median 4.3 against 3.8; docs/benchmarks.md). What clients send
 * (produce requests) follows their own sockets' setting, not this one.
 */
final class TcpCongestionControl {

    /** IPPROTO_TCP, TCP_CONGESTION and TCP_CA_NAME_MAX from Linux's headers. */
    static final RawUnixChannelOption OPTION = new RawUnixChannelOption("TCP_CONGESTION", 6, 13, 16);

    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    private static final Path ALLOWED = Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control");

    private TcpCongestionControl() {
    }

    /** The option's value for {@code algorithm}: its name, NUL-padded to the option's length (Netty checks it). */
    static ByteBuffer value(String algorithm) {
        byte[] name = algorithm.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= OPTION.length()) {
            throw new IllegalArgumentException("socket.tcp.congestion.control=" + algorithm + ": longer than "
                + (OPTION.length() - 1) + " characters");
        }
        return ByteBuffer.wrap(Arrays.copyOf(name, OPTION.length()));
    }

    /** The algorithm {@code channel}'s socket uses now. */
    static String current(Channel channel) {
        ByteBuffer raw = channel.config().getOption(OPTION);
        StringBuilder name = new StringBuilder();
        for (int i = raw.position(); i < raw.limit() && raw.get(i) != 0; i++) {
            name.append((char) raw.get(i));
        }
        return name.toString();
    }

    /** Throws unless {@code listener}'s socket uses {@code algorithm}, as it does after a successful set. */
    static void verify(Channel listener, String algorithm) {
        String actual = current(listener);
        if (!actual.equals(algorithm)) {
            throw refused(algorithm, "the listening socket uses " + actual);
        }
    }

    /** Start-up's error for an algorithm the kernel would not set: names the key and what the kernel offers. */
    static IllegalStateException refused(String algorithm, String why) {
        return new IllegalStateException("socket.tcp.congestion.control=" + algorithm + ": the kernel refused it (" + why
            + "); available here: " + read(AVAILABLE) + "; allowed without CAP_NET_ADMIN: " + read(ALLOWED));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            return "unknown (" + path + " unreadable)";
        }
    }
}
