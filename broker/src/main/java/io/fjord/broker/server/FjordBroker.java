package io.fjord.broker.server;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.config.BrokerConfigException;
import io.fjord.broker.config.Endpoint;
import io.fjord.broker.handler.AlterConfigsHandler;
import io.fjord.broker.handler.ApiVersionsHandler;
import io.fjord.broker.handler.CreatePartitionsHandler;
import io.fjord.broker.handler.CreateTopicsHandler;
import io.fjord.broker.handler.DeleteRecordsHandler;
import io.fjord.broker.handler.DeleteTopicsHandler;
import io.fjord.broker.handler.DescribeClusterHandler;
import io.fjord.broker.handler.DescribeConfigsHandler;
import io.fjord.broker.handler.DescribeLogDirsHandler;
import io.fjord.broker.handler.DescribeProducersHandler;
import io.fjord.broker.handler.FetchHandler;
import io.fjord.broker.handler.IncrementalAlterConfigsHandler;
import io.fjord.broker.handler.InitProducerIdHandler;
import io.fjord.broker.handler.ListOffsetsHandler;
import io.fjord.broker.handler.MetadataHandler;
import io.fjord.broker.handler.OffsetForLeaderEpochHandler;
import io.fjord.broker.handler.ProduceHandler;
import io.fjord.broker.handler.group.ConsumerGroupDescribeHandler;
import io.fjord.broker.handler.group.ConsumerGroupHeartbeatHandler;
import io.fjord.broker.handler.group.DeleteGroupsHandler;
import io.fjord.broker.handler.group.DescribeGroupsHandler;
import io.fjord.broker.handler.group.FindCoordinatorHandler;
import io.fjord.broker.handler.group.HeartbeatHandler;
import io.fjord.broker.handler.group.JoinGroupHandler;
import io.fjord.broker.handler.group.LeaveGroupHandler;
import io.fjord.broker.handler.group.ListGroupsHandler;
import io.fjord.broker.handler.group.OffsetCommitHandler;
import io.fjord.broker.handler.group.OffsetDeleteHandler;
import io.fjord.broker.handler.group.OffsetFetchHandler;
import io.fjord.broker.handler.group.SyncGroupHandler;
import io.fjord.broker.network.ApiRegistry;
import io.fjord.broker.network.SocketServer;
import io.fjord.broker.handler.transaction.AddOffsetsToTxnHandler;
import io.fjord.broker.handler.transaction.AddPartitionsToTxnHandler;
import io.fjord.broker.handler.transaction.DescribeTransactionsHandler;
import io.fjord.broker.handler.transaction.EndTxnHandler;
import io.fjord.broker.handler.transaction.ListTransactionsHandler;
import io.fjord.broker.handler.transaction.TxnOffsetCommitHandler;
import io.fjord.broker.handler.transaction.WriteTxnMarkersHandler;
import io.fjord.broker.server.group.ImageTopicMetadataView;
import io.fjord.broker.server.group.OffsetsTopicManager;
import io.fjord.broker.server.transaction.TransactionTopicManager;
import io.fjord.common.Time;
import io.fjord.common.TopicPartition;
import io.fjord.common.Uuid;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.metadata.ClusterController;
import io.fjord.storage.ConfigException;
import io.fjord.storage.LogConfig;
import io.fjord.storage.LogManager;
import io.fjord.storage.PartitionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One Fjord node: broker and controller in one process. Wires storage, the metadata controller,
 * the hosted partitions and the network server; {@link #start} brings them up in dependency order
 * and {@link #close} takes them down in reverse, ending with a clean-shutdown marker so the next
 * start needs no recovery scan.
 *
 * <p>Threads: Netty's acceptor and network loops serve requests; one maintenance thread runs
 * retention, flushing and checkpoints; one timer thread expires waiting fetches; one thread runs the
 * group coordinator ({@link OffsetsTopicManager}) and one the transaction coordinator
 * ({@link TransactionTopicManager}).
 */
public final class FjordBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FjordBroker.class);
    static final TopicPartition METADATA_PARTITION = new TopicPartition("__cluster_metadata", 0);
    private static final int MAX_WAITING_FETCHES = 10_000;

    private final BrokerConfig config;
    private final List<FileLock> dirLocks = new ArrayList<>();
    private LogManager logManager;
    private DelayedFetchPurgatory purgatory;
    private FetchSessionCache fetchSessions;
    private SocketServer socketServer;
    private ScheduledExecutorService maintenance;
    private BrokerContext context;
    private OffsetsTopicManager groupCoordinator;
    private TransactionTopicManager transactionCoordinator;
    private List<Endpoint> boundEndpoints = List.of();
    private volatile boolean closed;

    private FjordBroker(BrokerConfig config) {
        this.config = config;
    }

    /** Starts a node; on failure everything already started is closed again and the cause rethrown. */
    public static FjordBroker start(BrokerConfig config) {
        FjordBroker broker = new FjordBroker(config);
        try {
            broker.startup();
            return broker;
        } catch (Exception e) {
            // Exception, not RuntimeException: Netty rethrows a failed bind's java.net.BindException
            // unchecked-ly, and without close() its event-loop threads would keep the JVM running.
            broker.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.toString(), e);
        }
    }

    private void startup() throws InterruptedException {
        long startNs = System.nanoTime();
        Time time = Time.SYSTEM;
        List<Path> logDirs = config.logDirs();
        String clusterId = MetaProperties.ensure(logDirs, config.nodeId(), config.find(BrokerConfig.CLUSTER_ID).orElse(""));
        lockDirs(logDirs);

        Map<String, String> topicDefaults = config.topicConfigDefaults();
        LogConfig defaultLogConfig = parseDefaults(topicDefaults);
        logManager = new LogManager(logDirs, defaultLogConfig, time);
        logManager.startup(topic -> defaultLogConfig);

        purgatory = new DelayedFetchPurgatory(MAX_WAITING_FETCHES);
        fetchSessions = new FetchSessionCache(config.get(BrokerConfig.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS), time);
        ReplicaManager replicaManager = new ReplicaManager(logManager, topicDefaults, time, purgatory);
        PartitionLog metadataPartition = logManager.getOrCreateLog(METADATA_PARTITION, Uuid.METADATA_TOPIC_ID,
                metadataLogConfig(defaultLogConfig));
        ClusterController controller = new ClusterController(config.nodeId(), new PartitionMetadataLog(metadataPartition, time),
                overrides -> validateTopicConfig(replicaManager, overrides), new SplittableRandom(new SecureRandom().nextLong()));
        controller.addListener(replicaManager);
        controller.load();
        deleteOrphanLogs(replicaManager);

        ApiRegistry registry = new ApiRegistry();
        SocketServer.Settings settings = new SocketServer.Settings(config.listeners(), config.get(BrokerConfig.NUM_NETWORK_THREADS),
                config.get(BrokerConfig.SOCKET_REQUEST_MAX_BYTES), config.get(BrokerConfig.CONNECTIONS_MAX_IDLE_MS),
                config.get(BrokerConfig.SOCKET_SEND_BUFFER_BYTES), config.get(BrokerConfig.SOCKET_RECEIVE_BUFFER_BYTES),
                config.find(BrokerConfig.SOCKET_TCP_CONGESTION_CONTROL).orElse(""));
        socketServer = new SocketServer(settings, registry);
        List<Endpoint> advertised = new ArrayList<>(config.advertisedListeners());
        context = new BrokerContext(config, clusterId, advertised, controller, replicaManager, logManager,
                new ProducerIdManager(controller), time);
        groupCoordinator = OffsetsTopicManager.start(context);
        transactionCoordinator = TransactionTopicManager.start(context, groupCoordinator);
        registerHandlers(registry, context);
        boundEndpoints = socketServer.start();
        fixEphemeralPorts(advertised);
        startMaintenance(time);
        LOG.info("Fjord node {} started in {} ms: cluster {}, {} partitions, data in {}, clients connect to {}",
                config.nodeId(), (System.nanoTime() - startNs) / 1_000_000, clusterId, replicaManager.allPartitions().size(),
                logDirs, advertised);
    }

    private void registerHandlers(ApiRegistry registry, BrokerContext context) {
        registry.register(new ApiVersionsHandler(registry))
                .register(new MetadataHandler(context))
                .register(new ProduceHandler(context, transactionCoordinator))
                .register(new FetchHandler(context, purgatory, fetchSessions))
                .register(new ListOffsetsHandler(context))
                .register(new OffsetForLeaderEpochHandler(context))
                .register(new InitProducerIdHandler(context, transactionCoordinator))
                .register(new CreateTopicsHandler(context))
                .register(new DeleteTopicsHandler(context))
                .register(new CreatePartitionsHandler(context))
                .register(new DeleteRecordsHandler(context))
                .register(new DescribeConfigsHandler(context))
                .register(new AlterConfigsHandler(context))
                .register(new IncrementalAlterConfigsHandler(context))
                .register(new DescribeClusterHandler(context))
                .register(new DescribeLogDirsHandler(context))
                .register(new DescribeProducersHandler(context))
                .register(new FindCoordinatorHandler(context, groupCoordinator, transactionCoordinator))
                .register(new JoinGroupHandler(groupCoordinator))
                .register(new SyncGroupHandler(groupCoordinator))
                .register(new HeartbeatHandler(groupCoordinator))
                .register(new LeaveGroupHandler(groupCoordinator))
                .register(new OffsetCommitHandler(context, groupCoordinator))
                .register(new OffsetFetchHandler(groupCoordinator))
                .register(new OffsetDeleteHandler(groupCoordinator))
                .register(new ListGroupsHandler(groupCoordinator))
                .register(new DescribeGroupsHandler(groupCoordinator))
                .register(new DeleteGroupsHandler(groupCoordinator))
                .register(new ConsumerGroupHeartbeatHandler(groupCoordinator, new ImageTopicMetadataView(context)))
                .register(new ConsumerGroupDescribeHandler(groupCoordinator, new ImageTopicMetadataView(context)))
                .register(new AddPartitionsToTxnHandler(context, transactionCoordinator))
                .register(new AddOffsetsToTxnHandler(transactionCoordinator, groupCoordinator))
                .register(new EndTxnHandler(transactionCoordinator))
                .register(new TxnOffsetCommitHandler(transactionCoordinator, groupCoordinator))
                .register(new WriteTxnMarkersHandler(context))
                .register(new DescribeTransactionsHandler(transactionCoordinator))
                .register(new ListTransactionsHandler(transactionCoordinator));
    }

    /** A listener on port 0 (tests) is advertised with the port it actually got. */
    private void fixEphemeralPorts(List<Endpoint> advertised) {
        for (int i = 0; i < advertised.size(); i++) {
            Endpoint endpoint = advertised.get(i);
            if (endpoint.port() == 0) {
                for (Endpoint bound : boundEndpoints) {
                    if (bound.listenerName().equals(endpoint.listenerName())) {
                        advertised.set(i, endpoint.withPort(bound.port()));
                    }
                }
            }
        }
    }

    private static LogConfig parseDefaults(Map<String, String> topicDefaults) {
        try {
            return LogConfig.fromOverrides(topicDefaults, LogConfig.defaults());
        } catch (ConfigException e) {
            throw new BrokerConfigException("Invalid broker log configuration: " + e.getMessage());
        }
    }

    private static LogConfig metadataLogConfig(LogConfig defaults) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("retention.ms", "-1");
        overrides.put("retention.bytes", "-1");
        overrides.put("segment.bytes", String.valueOf(64 * 1024 * 1024));
        overrides.put("cleanup.policy", "delete");
        overrides.put("message.timestamp.type", "CreateTime");
        overrides.put("message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE));
        overrides.put("message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
        return LogConfig.fromOverrides(overrides, defaults);
    }

    private static void validateTopicConfig(ReplicaManager replicaManager, Map<String, String> overrides) {
        try {
            replicaManager.logConfig(overrides);
        } catch (ConfigException e) {
            throw new ApiException(Errors.INVALID_CONFIG, e.getMessage());
        }
    }

    /** Partitions left on disk by a topic deleted while the node was down. */
    private void deleteOrphanLogs(ReplicaManager replicaManager) {
        for (PartitionLog log : new ArrayList<>(logManager.allLogs())) {
            TopicPartition tp = log.topicPartition();
            if (!tp.equals(METADATA_PARTITION) && replicaManager.partition(tp).isEmpty()) {
                LOG.info("[partition {}] its topic no longer exists; deleting it", tp);
                logManager.deleteLog(tp);
            }
        }
    }

    private void startMaintenance(Time time) {
        maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fjord-log-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        long retentionInterval = config.get(BrokerConfig.LOG_RETENTION_CHECK_INTERVAL_MS);
        maintenance.scheduleWithFixedDelay(() -> runSafely("retention", () -> logManager.runRetention(time.milliseconds())),
                retentionInterval, retentionInterval, TimeUnit.MILLISECONDS);
        long flushInterval = Math.min(config.get(BrokerConfig.LOG_FLUSH_SCHEDULER_INTERVAL_MS), 1_000L);
        maintenance.scheduleWithFixedDelay(() -> runSafely("flush", () -> logManager.flushDirty(time.milliseconds())),
                flushInterval, flushInterval, TimeUnit.MILLISECONDS);
        long checkpointInterval = config.get(BrokerConfig.LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS);
        maintenance.scheduleWithFixedDelay(() -> runSafely("checkpoint", logManager::checkpoint),
                checkpointInterval, checkpointInterval, TimeUnit.MILLISECONDS);
    }

    private static void runSafely(String task, Runnable runnable) {
        try {
            runnable.run();
        } catch (RuntimeException e) {
            LOG.error("Log maintenance task '{}' failed", task, e);
        }
    }

    private void lockDirs(List<Path> logDirs) {
        for (Path dir : logDirs) {
            try {
                FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw new IllegalStateException("Another Fjord or Kafka process is using the data directory " + dir);
                }
                dirLocks.add(lock);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock data directory " + dir, e);
            }
        }
    }

    public List<Endpoint> boundEndpoints() {
        return boundEndpoints;
    }

    public BrokerContext context() {
        return context;
    }

    /** The incremental fetch sessions (KIP-227) open on this broker. */
    public FetchSessionCache fetchSessions() {
        return fetchSessions;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (transactionCoordinator != null) {
            // Before the group coordinator, which it sends transaction outcomes to.
            transactionCoordinator.close();
        }
        if (groupCoordinator != null) {
            // Early, so parked JoinGroup/SyncGroup answers (NOT_COORDINATOR) still reach the clients.
            groupCoordinator.close();
        }
        if (socketServer != null) {
            socketServer.close();
        }
        if (purgatory != null) {
            purgatory.close();
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        if (logManager != null) {
            logManager.shutdown();
        }
        for (FileLock lock : dirLocks) {
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException e) {
                LOG.warn("Could not release the lock on {}", lock, e);
            }
        }
        LOG.info("Fjord node {} shut down cleanly", config.nodeId());
    }
}
