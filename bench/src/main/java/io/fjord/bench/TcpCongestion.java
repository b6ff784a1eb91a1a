package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The machine's TCP congestion control ({@code net.ipv4.tcp_congestion_control}), which every
 * socket the brokers and the tools open takes, loopback included, and {@code --tcp-congestion},
 * which sets it for one run and puts the old value back afterwards.
 *
 * <p>Why it matters here: some machine images default to BBR, and BBR paces every flow — without
 * the fq qdisc, with a high-resolution timer per gap ({@code tcp_pace_kick}). On these VMs a timer
 * interrupt is dear, and a long loopback transfer, such as a 50 MB Fetch answer over 1,000
 * partitions, ran paced at BBR's estimate of a bandwidth the receiver itself set: by hand, one Fjord,
 * 1M × 1 KiB, {@code fjord perf consume} counted reads of 0.36–0.45 s at 1,000 partitions against
 * 0.18–0.27 at 6 with BBR (24,000 pacing timers in one run), 0.28–0.31 against 0.22–0.36 with
 * cubic (none). Linux's own default is cubic. A value other than {@code as-is} needs root; the
 * brokers must start after it is set, as a listening socket passes its congestion control on to
 * the connections it accepts.
 *
 * <p>Owned by one harness run; {@link #restore} is idempotent, for the run's end and its shutdown hook.
 */
final class TcpCongestion {

    static final String AS_IS = "as-is";
    private static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");

    private final String machineDefault;
    private final String used;
    private boolean restored;

    private TcpCongestion(String machineDefault, String used) {
        this.machineDefault = machineDefault;
        this.used = used;
    }

    /** An option value: {@code as-is} or the name of an algorithm. */
    static String option(String value) {
        if (value.isBlank() || !value.matches("[a-z0-9_-]+")) {
            throw new IllegalArgumentException("--tcp-congestion takes as-is or an algorithm name such as cubic, not '" + value + "'");
        }
        return value;
    }

    /**
     * Sets the machine's congestion control to {@code wanted} for this run ({@code as-is}: leaves it).
     *
     * @throws IllegalStateException when {@code wanted} is not available or cannot be set (not root)
     */
    static TcpCongestion apply(String wanted) {
        Optional<String> current = read(SYSCTL);
        if (AS_IS.equals(wanted)) {
            return new TcpCongestion(current.orElse("unknown"), current.orElse("unknown"));
        }
        if (current.isEmpty()) {
            throw new IllegalStateException("--tcp-congestion " + wanted + ": cannot read " + SYSCTL + " (Linux only)");
        }
        if (current.get().equals(wanted)) {
            return new TcpCongestion(wanted, wanted);
        }
        List<String> available = read(AVAILABLE).map(s -> List.of(s.split("\\s+"))).orElse(List.of());
        if (!available.contains(wanted)) {
            throw new IllegalStateException("--tcp-congestion " + wanted + ": this kernel offers " + String.join(", ", available));
        }
        try {
            Files.writeString(SYSCTL, wanted);
        } catch (IOException e) {
            throw new IllegalStateException("--tcp-congestion " + wanted + ": cannot write " + SYSCTL + " (root only): " + e, e);
        }
        Compare.log("TCP congestion control: " + current.get() + " -> " + wanted + " for this run (put back at its end)");
        return new TcpCongestion(current.get(), wanted);
    }

    /** Puts the machine's own value back; does nothing the second time or when nothing was changed. */
    synchronized void restore() {
        if (restored || used.equals(machineDefault)) {
            return;
        }
        restored = true;
        try {
            Files.writeString(SYSCTL, machineDefault);
            Compare.log("TCP congestion control: back to " + machineDefault);
        } catch (IOException e) {
            Compare.log("TCP congestion control: could not put back " + machineDefault + ": " + e);
        }
    }

    /** The report's line: what the run's sockets used and whether that is the machine's default. */
    String describe() {
        return used.equals(machineDefault)
            ? "TCP congestion control: " + used + " (the machine's default; --tcp-congestion as-is)"
            : "TCP congestion control: " + used + " for this run (--tcp-congestion " + used + "; the machine's default is " + machineDefault
                + ", put back afterwards)";
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
