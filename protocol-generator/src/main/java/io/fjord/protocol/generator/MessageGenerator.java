package io.fjord.protocol.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fjord's Kafka message generator: reads every {@code *.json} spec in a directory and writes one
 * Java class per spec, plus the {@code ApiMessageType} enum. Runs at build time only, from the
 * {@code protocol} module's {@code generate-sources} phase:
 * {@code MessageGenerator <specDir> <outputDir> <package>}.
 *
 * <h2>Generated API</h2>
 * <ul>
 *   <li>{@code XxxData} per spec (spec name + {@code Data}), implementing {@code ApiMessage}; every
 *       struct of the spec (inline or common) is a {@code public static final class} nested in it,
 *       named by its struct type. Two structs with one name fail the build.</li>
 *   <li>Private fields; getter = lower camel field name; fluent {@code setXxx(v)} returning {@code this};
 *       a no-argument constructor with the spec's defaults and a {@code (MessageReader, short)}
 *       constructor that reads.</li>
 *   <li>Java types: bool→boolean, int8→byte, int16→short, uint16→int, int32→int, uint32→long,
 *       int64→long, float64→double, string→String, bytes→byte[], uuid→Uuid, records→BaseRecords,
 *       []T→List of the boxed T (ArrayList). {@code mapKey} is ignored: keyed arrays are plain lists.</li>
 * </ul>
 *
 * <h2>Choices that differ from Apache Kafka's generator</h2>
 * <ul>
 *   <li><b>Absent fields are skipped silently on write.</b> Kafka throws when a non-ignorable field
 *       holds a non-default value in a version that lacks it; Fjord's handlers fill every field and
 *       let the negotiated version decide what goes on the wire. Unknown tagged fields are likewise
 *       dropped when writing a non-flexible version.</li>
 *   <li>Null where the version does not allow it throws {@link IllegalArgumentException} naming the
 *       field on write, and {@code ProtocolException} on read.</li>
 *   <li>Bytes fields are always copied ({@code zeroCopy} is accepted and ignored); records fields are
 *       read as a zero-copy slice of the input.</li>
 *   <li>A tagged field's declared size is checked against the bytes its value took.</li>
 * </ul>
 * On the wire the output matches Kafka's byte for byte: tagged fields are written only when they
 * differ from their default, known and unknown tagged fields merged in ascending tag order.
 *
 * <p>Specs with {@code validVersions: "none"} (retired API keys) generate nothing.
 */
public final class MessageGenerator {

    private MessageGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: MessageGenerator <specDir> <outputDir> <package>");
            System.exit(2);
        }
        int written = generate(Path.of(args[0]), Path.of(args[1]), args[2]);
        System.out.println("[fjord-protocol-generator] wrote " + written + " classes to " + args[1]);
    }

    /** Generates every spec in {@code specDir} into {@code outputDir}; returns the number of classes written. */
    public static int generate(Path specDir, Path outputDir, String packageName) throws IOException {
        List<Path> specFiles;
        try (Stream<Path> files = Files.list(specDir)) {
            specFiles = files.filter(path -> path.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (specFiles.isEmpty()) {
            throw new SpecException("no *.json specs in " + specDir);
        }
        SpecParser parser = new SpecParser();
        List<MessageSpec> specs = new ArrayList<>();
        for (Path file : specFiles) {
            MessageSpec spec = parser.parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
            String expected = file.getFileName().toString().replace(".json", "");
            if (!spec.name().equals(expected)) {
                throw new SpecException(file + ": spec name " + spec.name() + " does not match the file name");
            }
            specs.add(spec);
        }
        Path packageDir = outputDir.resolve(packageName.replace('.', '/'));
        Files.createDirectories(packageDir);
        MessageClassGenerator classGenerator = new MessageClassGenerator(packageName);
        int written = 0;
        for (MessageSpec spec : specs) {
            if (spec.validVersions().isEmpty()) {
                continue;
            }
            String source = classGenerator.generate(spec, spec.name() + ".json");
            writeIfChanged(packageDir.resolve(spec.className() + ".java"), source);
            written++;
        }
        Map<Short, ApiMessageTypeGenerator.ApiPair> pairs = ApiMessageTypeGenerator.pair(specs);
        writeIfChanged(packageDir.resolve("ApiMessageType.java"), new ApiMessageTypeGenerator(packageName).generate(pairs));
        return written + 1;
    }

    // Leaves unchanged files alone so incremental compilation does not rebuild every class.
    private static void writeIfChanged(Path file, String source) {
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(source)) {
                return;
            }
            Files.writeString(file, source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
