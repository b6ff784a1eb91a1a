package io.fjord.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the benchmark topics through Apache kafka-clients' Admin (replication factor 1). Driver thread. */
final class Topics {

    private Topics() {
    }

    /** Creates every topic of {@code partitionsByTopic}; returns the milliseconds the create call took. */
    static double create(String bootstrap, Map<String, Integer> partitionsByTopic, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        try (Admin admin = Admin.create(props)) {
            long startNs = System.nanoTime();
            admin.createTopics(topics).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            return (System.nanoTime() - startNs) / 1e6;
        }
    }
}
