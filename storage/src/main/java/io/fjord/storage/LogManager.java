package io.fjord.storage;

import io.fjord.common.Time;
import io.fjord.common.TopicPartition;
import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the broker's log dirs and every {@link PartitionLog} in them; one instance per broker.
 *
 * <pre>
 * &lt;log dir&gt;/
 *   .kafka_cleanshutdown                 present only between a clean shutdown and the next startup
 *   recovery-point-offset-checkpoint     "0", count, then "topic partition offset" lines
 *   log-start-offset-checkpoint          same format
 *   &lt;topic&gt;-&lt;partition&gt;/                 one partition (see {@link PartitionLog})
 *   &lt;topic&gt;-&lt;partition&gt;.&lt;uuid&gt;-delete/   a deleted partition awaiting file.delete.delay.ms
 * </pre>
 *
 * <p>Lifecycle: {@link #startup} loads every partition (recovering those of a dir without the
 * clean-shutdown marker) and removes the marker; the broker then calls {@link #runRetention},
 * {@link #flushDirty} and {@link #checkpoint} periodically from its scheduler thread;
 * {@link #shutdown} lets queued flushes finish, closes everything and writes the marker. Fsyncs the
 * network threads must not wait for run on this manager's flusher threads ({@link #flushAsync}); the
 * fsyncs of the segments rolls close run one at a time on its roll-flusher thread. Threading: the log map is concurrent;
 * create/delete serialise on this instance; the periodic tasks must run on one thread at a time.
 */
public final class LogManager {

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    public static final String RECOVERY_POINT_CHECKPOINT_FILE = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_CHECKPOINT_FILE = "log-start-offset-checkpoint";
    public static final String DELETE_DIR_SUFFIX = "-delete";
    /** Kafka's default producer.id.expiration.ms (1 day). */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;
    /** Threads loading partitions at start-up; bounded, a few per core since loading mostly waits on syscalls. */
    static final int LOAD_THREADS = Math.min(16, Math.max(2, Runtime.getRuntime().availableProcessors() * 4));

    /**
     * Threads that fsync off the network threads (flush.messages). A few rather than one:
     * fsyncs of different partitions overlap in the file system's journal commits.
     */
    static final int FLUSH_THREADS = 4;

    private record PendingDirDeletion(PartitionLog log, Path dir, long deleteAtMs) {
    }

    private final List<Path> logDirs;
    private final LogConfig defaultConfig;
    private final Time time;
    private final LogDirFailureHandler failureHandler;
    private final long producerIdExpirationMs;
    private final ConcurrentHashMap<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final List<PendingDirDeletion> pendingDirDeletions = new ArrayList<>();
    private final ThreadPoolExecutor flusher;
    /**
     * How long after a roll the segments it closed are fsynced ({@link PartitionLog#flushBelow}). Kafka
     * fsyncs them at once; on ext4 an fsync that has a whole segment's dirty pages to write holds up
     * appends to the other, active files for tens of milliseconds (measured: docs/benchmarks.md). By
     * this time the kernel's own writeback (dirty_expire_centisecs 30 s, flusher every 5 s) has written
     * those pages, and the fsync is left the journal commit (measured: 0.3-0.9 ms against 80-130 ms at
     * once). A crash recovers at most the segments rolled in the last {@value} ms besides the active one.
     */
    static final long DEFAULT_ROLL_FLUSH_DELAY_MS = 35_000;

    /** Runs the roll flushes, one at a time for the whole broker; a queue behind it only delays recovery points. */
    private final ScheduledThreadPoolExecutor rollFlusher;
    /** What each log's roll hands its flush to: {@link #rollFlusher}, after {@link #rollFlushDelayMs}. */
    private final Executor rollFlushAfterDelay;
    private volatile long rollFlushDelayMs = DEFAULT_ROLL_FLUSH_DELAY_MS;
    private volatile boolean started;

    public LogManager(List<Path> logDirs, LogConfig defaultConfig, Time time) {
        this(logDirs, defaultConfig, time, LogDirFailureHandler.HALT, DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    public LogManager(List<Path> logDirs, LogConfig defaultConfig, Time time, LogDirFailureHandler failureHandler, long producerIdExpirationMs) {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one log dir is required");
        }
        this.logDirs = List.copyOf(logDirs);
        this.defaultConfig = defaultConfig;
        this.time = time;
        this.failureHandler = failureHandler;
        this.producerIdExpirationMs = producerIdExpirationMs;
        this.flusher = new ThreadPoolExecutor(FLUSH_THREADS, FLUSH_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "fjord-log-flusher");
            thread.setDaemon(true);
            return thread;
        });
        this.flusher.allowCoreThreadTimeOut(true);
        this.rollFlusher = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "fjord-roll-flusher");
            thread.setDaemon(true);
            return thread;
        });
        this.rollFlusher.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.rollFlushAfterDelay = task -> rollFlusher.schedule(task, rollFlushDelayMs, TimeUnit.MILLISECONDS);
    }

    /** Tests: how long after a roll its flush runs (default {@value #DEFAULT_ROLL_FLUSH_DELAY_MS} ms). */
    void setRollFlushDelayMs(long delayMs) {
        this.rollFlushDelayMs = delayMs;
    }

    /**
     * Flushes {@code log} through {@code offset} on a flusher thread ({@link PartitionLog#flush(long)});
     * the future fails with the flush's {@link io.fjord.common.errors.ApiException} (KAFKA_STORAGE_ERROR),
     * or NOT_LEADER_OR_FOLLOWER once the manager is shutting down.
     */
    public CompletableFuture<Void> flushAsync(PartitionLog log, long offset) {
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        try {
            flusher.execute(() -> {
                try {
                    log.flush(offset);
                    flushed.complete(null);
                } catch (RuntimeException e) {
                    flushed.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            flushed.completeExceptionally(new ApiException(Errors.NOT_LEADER_OR_FOLLOWER, "the broker is shutting down"));
        }
        return flushed;
    }

    /**
     * Loads every partition directory. {@code topicConfigs} gives a topic's config (null: the
     * default config). Throws {@link UncheckedIOException} when a log dir cannot be read at all.
     */
    public synchronized void startup(Function<String, LogConfig> topicConfigs) {
        for (Path logDir : logDirs) {
            try {
                loadLogDir(logDir, topicConfigs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load log dir " + logDir, e);
            }
        }
        started = true;
    }

    private void loadLogDir(Path logDir, Function<String, LogConfig> topicConfigs) throws IOException {
        Files.createDirectories(logDir);
        Path marker = logDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean hadCleanShutdown = Files.exists(marker);
        Map<TopicPartition, Long> recoveryPoints = readOffsetCheckpoint(logDir.resolve(RECOVERY_POINT_CHECKPOINT_FILE));
        Map<TopicPartition, Long> logStartOffsets = readOffsetCheckpoint(logDir.resolve(LOG_START_OFFSET_CHECKPOINT_FILE));
        List<Path> children;
        try (Stream<Path> stream = Files.list(logDir)) {
            children = stream.filter(Files::isDirectory).sorted().toList();
        }
        // Partitions load in parallel: loading is mostly small blocking syscalls (open, mmap,
        // ftruncate, reading snapshots), so a few threads per core shorten restarts with many
        // partitions (Kafka's num.recovery.threads.per.data.dir). Each log is loaded by one thread.
        ExecutorService loaders = Executors.newFixedThreadPool(LOAD_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "fjord-log-loader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> loads = new ArrayList<>(children.size());
            for (Path child : children) {
                loads.add(loaders.submit(() -> {
                    loadPartitionDir(child, topicConfigs, recoveryPoints, logStartOffsets, hadCleanShutdown);
                    return null;
                }));
            }
            for (Future<?> load : loads) {
                awaitLoad(load);
            }
        } finally {
            loaders.shutdownNow();
        }
        Files.deleteIfExists(marker);
        String previousRun = hadCleanShutdown ? "after a clean shutdown"
                : children.isEmpty() ? "new log dir" : "after an unclean shutdown: tails recovered";
        LOG.info("Loaded {} partitions from {} ({})", children.size(), logDir, previousRun);
    }

    private void loadPartitionDir(Path child, Function<String, LogConfig> topicConfigs, Map<TopicPartition, Long> recoveryPoints,
                                  Map<TopicPartition, Long> logStartOffsets, boolean hadCleanShutdown) throws IOException {
        String name = child.getFileName().toString();
        if (name.endsWith(DELETE_DIR_SUFFIX)) {
            // Left over from a deletion before a restart: nobody can be reading it now.
            deleteRecursively(child);
            return;
        }
        Optional<TopicPartition> tp = parseTopicPartition(name);
        if (tp.isEmpty()) {
            return;
        }
        LogConfig config = Optional.ofNullable(topicConfigs.apply(tp.get().topic())).orElse(defaultConfig);
        Uuid topicId;
        try {
            topicId = PartitionMetadataFile.read(child).orElse(Uuid.ZERO);
        } catch (IOException e) {
            LOG.warn("[partition {}] unreadable partition.metadata ({}); the topic id comes from the metadata log", name, e.getMessage());
            topicId = Uuid.ZERO;
        }
        PartitionLog.LogLoadCheckpoints checkpoints = new PartitionLog.LogLoadCheckpoints(
            recoveryPoints.getOrDefault(tp.get(), 0L), logStartOffsets.getOrDefault(tp.get(), 0L), hadCleanShutdown);
        PartitionLog log = PartitionLog.load(child, tp.get(), topicId, config, checkpoints, time, failureHandler, rollFlushAfterDelay);
        logs.put(tp.get(), log);
    }

    private static void awaitLoad(Future<?> load) throws IOException {
        try {
            load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading logs", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** "topic-partition" → TopicPartition; empty for names that are not partition directories. */
    static Optional<TopicPartition> parseTopicPartition(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        String partition = name.substring(dash + 1);
        if (!partition.chars().allMatch(Character::isDigit) || partition.length() > 9) {
            return Optional.empty();
        }
        return Optional.of(new TopicPartition(name.substring(0, dash), Integer.parseInt(partition)));
    }

    /** The partition's log, created (in the log dir with fewest partitions) when absent. */
    public PartitionLog getOrCreateLog(TopicPartition tp, Uuid topicId, LogConfig config) {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            return checkTopicId(existing, tp, topicId);
        }
        // Per-partition creation runs outside any global lock, so many partitions can be created at once;
        // the map's per-key lock makes concurrent creators of the same partition agree on one log.
        try {
            return checkTopicId(logs.computeIfAbsent(tp, key -> createLog(key, topicId, config)), tp, topicId);
        } catch (UncheckedIOException e) {
            throw new ApiException(Errors.KAFKA_STORAGE_ERROR, "cannot create the log of " + tp + ": " + e.getCause().getMessage());
        }
    }

    /**
     * Creates (or finds) the logs of many partitions of one topic in parallel, as when a topic with
     * thousands of partitions is created: each creation is a handful of small file operations.
     */
    public Map<TopicPartition, PartitionLog> getOrCreateLogs(Collection<TopicPartition> partitions, Uuid topicId, LogConfig config) {
        Map<TopicPartition, PartitionLog> result = new ConcurrentHashMap<>();
        if (partitions.size() < 16) {
            partitions.forEach(tp -> result.put(tp, getOrCreateLog(tp, topicId, config)));
            return result;
        }
        ExecutorService creators = Executors.newFixedThreadPool(LOAD_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "fjord-log-creator");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> creations = new ArrayList<>(partitions.size());
            for (TopicPartition tp : partitions) {
                creations.add(creators.submit(() -> result.put(tp, getOrCreateLog(tp, topicId, config))));
            }
            for (Future<?> creation : creations) {
                try {
                    awaitLoad(creation);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } finally {
            creators.shutdownNow();
        }
        return result;
    }

    private PartitionLog checkTopicId(PartitionLog existing, TopicPartition tp, Uuid topicId) {
        if (!existing.topicId().equals(Uuid.ZERO) && !topicId.equals(Uuid.ZERO) && !existing.topicId().equals(topicId)) {
            throw new ApiException(Errors.INCONSISTENT_TOPIC_ID, "log of " + tp + " has topic id " + existing.topicId() + ", not " + topicId);
        }
        if (existing.topicId().equals(Uuid.ZERO) && !topicId.equals(Uuid.ZERO)) {
            try {
                PartitionMetadataFile.write(existing.dir(), topicId);
            } catch (IOException e) {
                LOG.warn("[partition {}] cannot rewrite partition.metadata: {}", tp, e.getMessage());
            }
        }
        return existing;
    }

    private Path leastLoadedLogDir() {
        if (logDirs.size() == 1) {
            return logDirs.get(0);
        }
        Map<Path, Integer> counts = new HashMap<>();
        logDirs.forEach(d -> counts.put(d, 0));
        for (PartitionLog log : logs.values()) {
            counts.computeIfPresent(log.dir().getParent(), (d, n) -> n + 1);
        }
        return logDirs.stream().min(Comparator.comparingInt(counts::get)).orElseThrow();
    }

    private PartitionLog createLog(TopicPartition tp, Uuid topicId, LogConfig config) {
        Path logDir = leastLoadedLogDir();
        Path dir = logDir.resolve(tp.toString());
        try {
            Files.createDirectories(dir);
            PartitionMetadataFile.write(dir, topicId);
            return PartitionLog.load(dir, tp, topicId, config,
                new PartitionLog.LogLoadCheckpoints(0L, 0L, true), time, failureHandler, rollFlushAfterDelay);
        } catch (IOException e) {
            failureHandler.onLogDirFailure(logDir, "creating the log of " + tp, e);
            throw new UncheckedIOException(e);
        }
    }

    /** The log directories, in configuration order. */
    public List<Path> logDirs() {
        return logDirs;
    }

    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /**
     * Topic deletion: renames the directory to {@code topic-partition.<uuid>-delete} at once (so a
     * recreated topic starts fresh) and removes it after {@code file.delete.delay.ms}, letting
     * in-flight zero-copy reads of its files finish.
     */
    public synchronized void deleteLog(TopicPartition tp) {
        PartitionLog log = logs.remove(tp);
        if (log == null) {
            return;
        }
        Path dir = log.dir();
        Path renamed = dir.resolveSibling(tp + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_DIR_SUFFIX);
        try {
            Files.move(dir, renamed);
            CheckpointFile.fsyncDirectory(dir.getParent());
        } catch (IOException e) {
            failureHandler.onLogDirFailure(dir.getParent(), "deleting the log of " + tp, e);
            throw new ApiException(Errors.KAFKA_STORAGE_ERROR, "cannot delete the log of " + tp + ": " + e.getMessage());
        }
        log.markDeleted(renamed);
        pendingDirDeletions.add(new PendingDirDeletion(log, renamed, time.milliseconds() + log.config().fileDeleteDelayMs()));
    }

    /**
     * Retention for every log, producer-id expiration, then physical deletion of segments and
     * directories whose {@code file.delete.delay.ms} has passed.
     */
    public void runRetention(long nowMs) {
        for (PartitionLog log : logs.values()) {
            if (log.isOffline()) {
                continue;
            }
            try {
                log.deleteRetentionExpiredSegments(nowMs);
                log.removeExpiredProducers(nowMs, producerIdExpirationMs);
                log.deletePendingSegments(nowMs);
            } catch (ApiException e) {
                // The log went offline and its failure handler has been told; the other logs go on.
                LOG.debug("[partition {}] retention skipped: {}", log.topicPartition(), e.getMessage());
            }
        }
        deletePendingDirs(nowMs);
    }

    private synchronized void deletePendingDirs(long nowMs) {
        Iterator<PendingDirDeletion> it = pendingDirDeletions.iterator();
        while (it.hasNext()) {
            PendingDirDeletion pending = it.next();
            if (pending.deleteAtMs() <= nowMs) {
                pending.log().closeHandlesForDeletion();
                try {
                    deleteRecursively(pending.dir());
                } catch (IOException e) {
                    failureHandler.onLogDirFailure(pending.dir().getParent(), "removing " + pending.dir(), e);
                }
                it.remove();
            }
        }
    }

    /** Flushes logs whose {@code flush.ms} has passed. */
    public void flushDirty(long nowMs) {
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                log.maybeFlush(nowMs);
            }
        }
    }

    /** Writes each log dir's recovery-point and log-start-offset checkpoints. */
    public synchronized void checkpoint() {
        for (Path logDir : logDirs) {
            List<String> recoveryPoints = new ArrayList<>();
            List<String> logStartOffsets = new ArrayList<>();
            for (PartitionLog log : logs.values()) {
                if (log.dir().getParent().equals(logDir) && !log.isOffline()) {
                    TopicPartition tp = log.topicPartition();
                    recoveryPoints.add(tp.topic() + " " + tp.partition() + " " + log.recoveryPoint());
                    logStartOffsets.add(tp.topic() + " " + tp.partition() + " " + log.logStartOffset());
                }
            }
            try {
                CheckpointFile.write(logDir.resolve(RECOVERY_POINT_CHECKPOINT_FILE), recoveryPoints);
                CheckpointFile.write(logDir.resolve(LOG_START_OFFSET_CHECKPOINT_FILE), logStartOffsets);
            } catch (IOException e) {
                failureHandler.onLogDirFailure(logDir, "writing checkpoints", e);
            }
        }
    }

    /** Closes every log (flush, producer snapshot, trimmed indexes), checkpoints, and writes the clean-shutdown markers. */
    public synchronized void shutdown() {
        if (!started) {
            return;
        }
        // Flushes already queued finish first (their producers are waiting); later ones are refused.
        // Roll flushes not yet due are dropped (closing the logs below flushes everything); a running
        // one finishes: an interrupt would close the channel it is forcing.
        flusher.shutdown();
        rollFlusher.shutdown();
        try {
            if (!flusher.awaitTermination(30, TimeUnit.SECONDS) || !rollFlusher.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Background flushes still running after 30 s; closing the logs anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Closing flushes and snapshots every log: mostly fsyncs, which overlap well across threads.
        ExecutorService closers = Executors.newFixedThreadPool(LOAD_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "fjord-log-closer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> closes = new ArrayList<>(logs.size());
            for (PartitionLog log : logs.values()) {
                closes.add(closers.submit(log::close));
            }
            for (Future<?> close : closes) {
                try {
                    awaitLoad(close);
                } catch (IOException | RuntimeException e) {
                    LOG.error("A log failed to close cleanly; it will be recovered on the next start", e);
                }
            }
        } finally {
            closers.shutdownNow();
        }
        checkpoint();
        for (Path logDir : logDirs) {
            boolean allHealthy = logs.values().stream().noneMatch(l -> l.isOffline() && l.dir().getParent().equals(logDir));
            if (!allHealthy) {
                continue;
            }
            try {
                CheckpointFile.writeAtomically(logDir.resolve(CLEAN_SHUTDOWN_FILE), "{\"version\":0,\"brokerEpoch\":-1}");
            } catch (IOException e) {
                failureHandler.onLogDirFailure(logDir, "writing the clean shutdown marker", e);
            }
        }
        started = false;
    }

    private static Map<TopicPartition, Long> readOffsetCheckpoint(Path file) throws IOException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        List<String> lines;
        try {
            lines = CheckpointFile.read(file);
        } catch (IOException e) {
            // Kafka treats an unreadable checkpoint as absent: recovery then starts from offset 0.
            LOG.warn("Ignoring unreadable checkpoint {}: {}", file, e.getMessage());
            return offsets;
        }
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3) {
                try {
                    offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
                } catch (NumberFormatException e) {
                    LOG.warn("Ignoring malformed line in {}: {}", file, line);
                }
            }
        }
        return offsets;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                if (Files.isDirectory(child)) {
                    deleteRecursively(child);
                } else {
                    Files.deleteIfExists(child);
                }
            }
        }
        Files.deleteIfExists(dir);
    }
}
