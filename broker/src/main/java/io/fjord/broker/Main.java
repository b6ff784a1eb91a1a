package io.fjord.broker;

import io.fjord.broker.config.BrokerConfig;
import io.fjord.broker.config.BrokerConfigException;
import io.fjord.broker.server.FjordBroker;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code fjord server [--config FILE] [--data-dir DIR] [--override key=value]...}: starts one node
 * and runs until SIGINT/SIGTERM, then shuts down cleanly (flush, checkpoints, clean-shutdown marker).
 * Exit code 1 with a one-line reason for a bad configuration.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Netty's leak detector samples buffer allocations with a stack trace each; the tests keep
        // it on (they run the broker in-process), a served broker does not pay for it unless asked
        // with -Dio.netty.leakDetection.level=simple.
        defaultProperty("io.netty.leakDetection.level", "disabled");
        // Netty 4.2 defines JFR events for its buffer allocator; registering them parses their
        // annotations through a dozen dynamic proxies, about 60 ms of start-up, for events only a
        // JFR recording would read. -Dio.netty.jfr.enabled=true brings them back for profiling.
        defaultProperty("io.netty.jfr.enabled", "false");
        Map<String, String> properties;
        try {
            properties = parseArguments(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("fjord server: " + e.getMessage());
            System.err.println("usage: fjord server [--config FILE] [--data-dir DIR] [--override key=value]...");
            System.exit(2);
            return;
        }
        FjordBroker broker;
        try {
            broker = FjordBroker.start(BrokerConfig.parse(properties));
        } catch (BrokerConfigException e) {
            System.err.println("fjord server: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("fjord server: could not start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "fjord-shutdown"));
        stopped.await();
    }

    /** Sets a system property unless the command line already did (-D wins). */
    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static Map<String, String> parseArguments(String[] args) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config" -> properties.putAll(load(Path.of(value(args, ++i, arg))));
                case "--data-dir" -> overrides.put("log.dirs", value(args, ++i, arg));
                case "--override" -> {
                    String pair = value(args, ++i, arg);
                    int equals = pair.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("--override needs key=value, got " + pair);
                    }
                    overrides.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        properties.putAll(overrides);
        return properties;
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }

    private static Map<String, String> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("config file " + file + " does not exist");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return map;
    }
}
