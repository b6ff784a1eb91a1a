package io.fjord.protocol;

import io.fjord.protocol.generator.MessageSpec;
import io.fjord.protocol.generator.SpecParser;
import org.apache.kafka.common.protocol.ApiKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kafka JSON specs the generated classes came from, read from the kafka-clients jar on the test
 * classpath (the same artifact the build unpacks) and parsed with Fjord's own spec parser. Lets
 * tests know, per version, which fields exist and which may be null.
 */
final class KafkaSpecs {

    private static final List<MessageSpec> ALL = load();

    private KafkaSpecs() {
    }

    /** Every spec with at least one valid version, sorted by name. */
    static List<MessageSpec> all() {
        return ALL;
    }

    static MessageSpec byName(String name) {
        return ALL.stream().filter(spec -> spec.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no spec " + name));
    }

    private static List<MessageSpec> load() {
        try {
            Path jar = Path.of(ApiKeys.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (FileSystem zip = FileSystems.newFileSystem(jar); Stream<Path> files = Files.list(zip.getPath("common/message"))) {
                SpecParser parser = new SpecParser();
                List<MessageSpec> specs = new ArrayList<>();
                for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                    MessageSpec spec = parser.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
                    if (!spec.validVersions().isEmpty()) {
                        specs.add(spec);
                    }
                }
                return List.copyOf(specs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
