package io.fjord.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads a process's resident memory and CPU time, and the machine's CPU counters, from Linux
 * {@code /proc}. Stateless; any thread.
 *
 * <pre>
 * /proc/PID/status   "VmRSS:    123456 kB"             resident set size
 * /proc/PID/stat     "PID (comm) S f4 .. f13 utime stime ..."  fields 14 and 15, in clock ticks
 * /proc/PID/fd/      one entry per open descriptor (files and sockets)
 * /proc/thread-self/schedstat  "run_ns wait_ns timeslices"  the calling thread's time on a CPU and on a run queue
 * /proc/self/limits  "Max open files   20000   20000   files"   soft and hard limit
 * /proc/stat         "cpu  user nice system idle iowait irq softirq steal ..."  machine-wide ticks
 * </pre>
 * The command name in {@code /proc/PID/stat} may itself hold spaces and parentheses, so fields are
 * counted from the last ')'.
 */
final class ProcStats {

    /** USER_HZ: what /proc reports CPU time in. 100 on every Linux ABI the JDK supports. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    /**
     * Busy, stolen and total ticks of all CPUs together, from the first line of /proc/stat. Busy is
     * what this machine's CPUs ran; steal is time the hypervisor gave to other guests while this one
     * had work, which on a shared host is what slows a round down for no reason of its own.
     */
    record MachineTicks(long busyTicks, long stealTicks, long totalTicks) {
        /** Average number of busy cores between {@code earlier} and this reading. */
        double busyCoresSince(MachineTicks earlier, double wallSeconds) {
            return (busyTicks - earlier.busyTicks) / (double) CLOCK_TICKS_PER_SECOND / wallSeconds;
        }

        /** Average cores' worth of time stolen by the hypervisor between {@code earlier} and this reading. */
        double stealCoresSince(MachineTicks earlier, double wallSeconds) {
            return (stealTicks - earlier.stealTicks) / (double) CLOCK_TICKS_PER_SECOND / wallSeconds;
        }
    }

    private ProcStats() {
    }

    /** VmRSS in bytes, or -1 when the process is gone. */
    static long rssBytes(long pid) {
        String status = readOrNull(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return -1;
        }
        return parseRssBytes(status);
    }

    static long parseRssBytes(String status) {
        return parseKbField(status, "VmRSS:").orElse(-1);
    }

    /** A field of /proc/meminfo in bytes, or empty when the file or the field is missing. */
    static OptionalLong meminfoBytes(String field) {
        String meminfo = readOrNull(Path.of("/proc/meminfo"));
        return meminfo == null ? OptionalLong.empty() : parseKbField(meminfo, field);
    }

    /** A {@code Name:  N kB} line of a /proc status-like file, in bytes; empty when the field is missing. */
    static OptionalLong parseKbField(String text, String field) {
        for (String line : text.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]) * 1024L);
            }
        }
        return OptionalLong.empty();
    }

    /** Entries of /proc/PID/fd (files, sockets, pipes), or -1 when the process is gone. */
    static long openFileDescriptors(long pid) {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.count();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process's soft limit on open files (children inherit it), from /proc/self/limits; "unknown" if unreadable. */
    static String openFilesLimit() {
        String limits = readOrNull(Path.of("/proc/self/limits"));
        return limits == null ? "unknown" : parseOpenFilesLimit(limits);
    }

    static String parseOpenFilesLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                return line.substring("Max open files".length()).trim().split("\\s+")[0];
            }
        }
        return "unknown";
    }

    /** A process's CPU time so far, in seconds: in its own code (utime) and in the kernel on its behalf (stime). */
    record ProcessCpu(double userSeconds, double systemSeconds) {
        static final ProcessCpu GONE = new ProcessCpu(-1, -1);

        double totalSeconds() {
            return userSeconds + systemSeconds;
        }

        /** The CPU time between {@code earlier} and this reading. */
        ProcessCpu since(ProcessCpu earlier) {
            return new ProcessCpu(userSeconds - earlier.userSeconds, systemSeconds - earlier.systemSeconds);
        }
    }

    /** utime + stime in seconds, or -1 when the process is gone. */
    static double cpuSeconds(long pid) {
        ProcessCpu cpu = processCpu(pid);
        return cpu == ProcessCpu.GONE ? -1 : cpu.totalSeconds();
    }

    /** utime and stime apart, or {@link ProcessCpu#GONE} when the process is gone. */
    static ProcessCpu processCpu(long pid) {
        String stat = readOrNull(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return ProcessCpu.GONE;
        }
        long[] ticks = parseUserAndSystemTicks(stat);
        return new ProcessCpu(ticks[0] / (double) CLOCK_TICKS_PER_SECOND, ticks[1] / (double) CLOCK_TICKS_PER_SECOND);
    }

    static long parseCpuTicks(String stat) {
        long[] ticks = parseUserAndSystemTicks(stat);
        return ticks[0] + ticks[1];
    }

    /** {utime, stime} in clock ticks. */
    static long[] parseUserAndSystemTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (15) fields[12].
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    /** Nanoseconds the calling thread has waited on a run queue (ready, no CPU free); -1 where the kernel keeps none. */
    static long threadRunQueueDelayNs() {
        String schedstat = readOrNull(Path.of("/proc/thread-self/schedstat"));
        try {
            return schedstat == null ? -1 : parseRunQueueDelayNs(schedstat);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // A kernel built without scheduler statistics may leave the file empty: the figure is optional.
            return -1;
        }
    }

    static long parseRunQueueDelayNs(String schedstat) {
        return Long.parseLong(schedstat.trim().split("\\s+")[1]);
    }

    static MachineTicks machineTicks() {
        String stat = readOrNull(Path.of("/proc/stat"));
        if (stat == null) {
            throw new IllegalStateException("/proc/stat is not readable: the harness needs Linux");
        }
        return parseMachineTicks(stat);
    }

    static MachineTicks parseMachineTicks(String stat) {
        String[] fields = stat.substring(0, stat.indexOf('\n')).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
        return new MachineTicks(total - idle - steal, steal, total);
    }

    /**
     * The machine's block-device activity: sectors written and discarded so far, summed over every
     * device in {@code /proc/diskstats}.
     */
    record DiskActivity(long sectorsWritten, long sectorsDiscarded) {
        /**
         * At most this many sectors (128 KB) written between two readings still count as quiet: an
         * idle broker keeps appending and fsyncing a few KB (Kafka's KRaft controller a no-op
         * record every 500 ms), while writeback after a full-speed run moves megabytes per reading.
         */
        static final long QUIET_SECTORS_WRITTEN = 256;

        /** True when nothing was discarded and at most {@link #QUIET_SECTORS_WRITTEN} written since {@code earlier}. */
        boolean quietSince(DiskActivity earlier) {
            return sectorsWritten - earlier.sectorsWritten <= QUIET_SECTORS_WRITTEN && sectorsDiscarded == earlier.sectorsDiscarded;
        }
    }

    /** The current {@link DiskActivity}; all zero where {@code /proc/diskstats} is missing. */
    static DiskActivity diskActivity() {
        String stats = readOrNull(Path.of("/proc/diskstats"));
        return stats == null ? new DiskActivity(0, 0) : parseDiskActivity(stats);
    }

    /**
     * Sums /proc/diskstats: after major, minor and name, field 7 is sectors written and 14 sectors
     * discarded (kernels before 4.18 have no discard fields: 0).
     */
    static DiskActivity parseDiskActivity(String stats) {
        long written = 0;
        long discarded = 0;
        for (String line : stats.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                continue;
            }
            written += Long.parseLong(f[9]);
            if (f.length >= 17) {
                discarded += Long.parseLong(f[16]);
            }
        }
        return new DiskActivity(written, discarded);
    }

    private static String readOrNull(Path path) {
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (!Files.exists(path)) {
                return null;
            }
            throw new UncheckedIOException(e);
        }
    }
}
