package io.fjord.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache Kafka {@value #KAFKA_VERSION} as {@code kafka-server-start.sh} would run it: single-node
 * KRaft (broker and controller in one process, a static one-voter quorum), the jars fetched by
 * {@code bench/kafka-dist/pom.xml}, the heap and GC flags of {@code kafka-server-start.sh} and
 * {@code kafka-run-class.sh} (including its GC log and local JMX), and the values of Kafka's
 * shipped {@code config/server.properties}.
 */
record KafkaBrokerSpec(Path dir, int port, int controllerPort, List<String> jvmOptions) implements BrokerSpec {

    static final String KAFKA_VERSION = "4.1.2";

    /** kafka-server-start.sh's KAFKA_HEAP_OPTS and kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx1G", "-Xms1G", "-server", "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
        "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true");

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public List<Integer> ports() {
        return List.of(port, controllerPort);
    }

    Path serverProperties() {
        return dir.resolve("server.properties");
    }

    Path log4jConfig() {
        return dir.resolve("log4j2.properties");
    }

    @Override
    public void prepareFresh(BenchEnvironment env) throws IOException, InterruptedException {
        BrokerSpec.deleteRecursively(dataDir());
        Files.createDirectories(dir);
        Files.writeString(serverProperties(), serverPropertiesText());
        Files.writeString(log4jConfig(), """
            # Like Kafka's config/log4j2.yaml: INFO to server.log under kafka.logs.dir.
            status = warn
            appender.file.type = File
            appender.file.name = server
            appender.file.fileName = ${sys:kafka.logs.dir}/server.log
            appender.file.layout.type = PatternLayout
            appender.file.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = info
            rootLogger.appenderRef.file.ref = server
            """);
        // kafka-storage.sh format: writes meta.properties and the bootstrap checkpoint.
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<String> format = List.of(env.java().toString(), "-Xmx256M", "-cp", env.kafkaClasspath(),
            "-Dlog4j2.configurationFile=" + log4jConfig().toUri(), "-Dkafka.logs.dir=" + dir,
            "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties().toString());
        ChildProcess.Result result = ChildProcess.run(format, dir.resolve("storage-format.out"), 120);
        if (result.exitCode() != 0) {
            throw new IOException("kafka-storage format failed (exit " + result.exitCode() + "):\n" + result.tail(20));
        }
    }

    private String serverPropertiesText() {
        return """
            # Written by the Fjord bench harness: Kafka's shipped config/server.properties (KRaft,
            # combined mode) with ports and log.dirs of this run.
            process.roles=broker,controller
            node.id=1
            controller.quorum.voters=1@127.0.0.1:%2$d
            listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
            advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
            inter.broker.listener.name=PLAINTEXT
            controller.listener.names=CONTROLLER
            listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
            num.network.threads=3
            num.io.threads=8
            socket.send.buffer.bytes=102400
            socket.receive.buffer.bytes=102400
            socket.request.max.bytes=104857600
            log.dirs=%3$s
            num.partitions=1
            num.recovery.threads.per.data.dir=1
            offsets.topic.replication.factor=1
            share.coordinator.state.topic.replication.factor=1
            share.coordinator.state.topic.min.isr=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1
            group.initial.rebalance.delay.ms=0
            log.retention.hours=168
            log.segment.bytes=1073741824
            log.retention.check.interval.ms=300000
            """.formatted(port, controllerPort, dataDir());
    }

    @Override
    public List<String> command(BenchEnvironment env) {
        List<String> command = new ArrayList<>();
        command.add(env.java().toString());
        command.addAll(jvmOptions);
        // kafka-run-class.sh with -loggc (as kafka-server-start.sh passes) and its default KAFKA_JMX_OPTS.
        command.add("-Xlog:gc*:file=" + dir.resolve("kafkaServer-gc.log") + ":time,tags:filecount=10,filesize=100M");
        command.add("-Dcom.sun.management.jmxremote");
        command.add("-Dcom.sun.management.jmxremote.authenticate=false");
        command.add("-Dcom.sun.management.jmxremote.ssl=false");
        command.add("-Dkafka.logs.dir=" + dir);
        command.add("-Dlog4j2.configurationFile=" + log4jConfig().toUri());
        command.add("-cp");
        command.add(env.kafkaClasspath());
        command.add("kafka.Kafka");
        command.add(serverProperties().toString());
        return command;
    }
}
