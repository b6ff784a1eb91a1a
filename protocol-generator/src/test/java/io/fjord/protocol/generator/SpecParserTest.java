package io.fjord.protocol.generator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spec language as the parser reads and polices it; every rule break must fail the build. */
class SpecParserTest {

    private final SpecParser parser = new SpecParser();

    @Test
    void shouldStripLineCommentsButKeepDoubleSlashesInsideStrings() {
        String text = """
            // licence header
            { "type": "data", "name": "Thing", "validVersions": "0", "flexibleVersions": "none", // trailing
              "fields": [ { "name": "Url", "type": "string", "versions": "0+", "default": "http://x" } ] }
            """;
        MessageSpec spec = parser.parse(text, "Thing.json");
        assertThat(spec.fields().get(0).defaultValue()).isEqualTo("http://x");
    }

    @Test
    void shouldReadVersionsTagsOverridesAndCommonStructs() {
        MessageSpec spec = parser.parse("""
            { "apiKey": 99, "type": "request", "name": "ThingRequest", "listeners": ["broker"],
              "validVersions": "0-3", "flexibleVersions": "2+",
              "fields": [
                { "name": "ClientId", "type": "string", "versions": "0+", "flexibleVersions": "none" },
                { "name": "Items", "type": "[]Item", "versions": "1+", "nullableVersions": "2+" },
                { "name": "Extra", "type": "int32", "versions": "2+", "taggedVersions": "2+", "tag": 0, "default": "0x10" }
              ],
              "commonStructs": [ { "name": "Item", "versions": "0+", "fields": [
                { "name": "Id", "type": "uuid", "versions": "0+" } ] } ] }
            """, "ThingRequest.json");
        assertThat(spec.apiKey()).contains((short) 99);
        assertThat(spec.validVersions()).isEqualTo(new Versions((short) 0, (short) 3));
        assertThat(spec.fields().get(0).flexibleVersions()).contains(Versions.NONE);
        assertThat(spec.fields().get(2).untaggedVersions()).isEqualTo(Versions.NONE);
        assertThat(FieldDefaults.javaExpression(spec.fields().get(2))).isEqualTo("16");
        assertThat(StructRegistry.of(spec).get("Item").fields()).hasSize(1);
    }

    @Test
    void shouldRejectUnknownKeys() {
        assertRejected("{ \"type\": \"data\", \"name\": \"A\", \"validVersions\": \"0\", \"flexibleVersions\": \"none\","
            + " \"fields\": [ { \"name\": \"X\", \"type\": \"int8\", \"versions\": \"0+\", \"shiny\": true } ] }", "shiny");
    }

    @Test
    void shouldRejectUnknownTypes() {
        assertRejected(data("{ \"name\": \"X\", \"type\": \"int128\", \"versions\": \"0+\" }"), "int128");
    }

    @Test
    void shouldRejectNullableIntegers() {
        assertRejected(data("{ \"name\": \"X\", \"type\": \"int32\", \"versions\": \"0+\", \"nullableVersions\": \"0+\" }"),
            "cannot be nullable");
    }

    @Test
    void shouldRejectANullDefaultWhereTheFieldIsNotAlwaysNullable() {
        assertRejected(data("{ \"name\": \"X\", \"type\": \"string\", \"versions\": \"0+\", \"nullableVersions\": \"1+\","
            + " \"default\": \"null\" }"), "null cannot be the default");
    }

    @Test
    void shouldRejectOutOfRangeDefaults() {
        assertRejected(data("{ \"name\": \"X\", \"type\": \"int8\", \"versions\": \"0+\", \"default\": \"300\" }"),
            "out of range");
        assertRejected(data("{ \"name\": \"X\", \"type\": \"bool\", \"versions\": \"0+\", \"default\": \"yes\" }"),
            "invalid default");
    }

    @Test
    void shouldRejectTagsOutsideFlexibleVersionsOrReused() {
        String notFlexible = """
            { "type": "data", "name": "A", "validVersions": "0-2", "flexibleVersions": "2+", "fields": [
              { "name": "X", "type": "int32", "versions": "1+", "taggedVersions": "1+", "tag": 0 } ] }""";
        assertRejected(notFlexible, "flexible only in 2+");
        String reused = """
            { "type": "data", "name": "A", "validVersions": "0-2", "flexibleVersions": "0+", "fields": [
              { "name": "X", "type": "int32", "versions": "0+", "taggedVersions": "0+", "tag": 0 },
              { "name": "Y", "type": "int32", "versions": "0+", "taggedVersions": "0+", "tag": 0 } ] }""";
        assertRejected(reused, "reuses tag 0");
        String closedRange = """
            { "type": "data", "name": "A", "validVersions": "0-2", "flexibleVersions": "0+", "fields": [
              { "name": "X", "type": "int32", "versions": "0+", "taggedVersions": "0-1", "tag": 0 } ] }""";
        assertRejected(closedRange, "open-ended");
    }

    @Test
    void shouldRejectStructsThatWouldCollideAsNestedClasses() {
        String twice = data("""
            { "name": "A", "type": "[]Item", "versions": "0+", "fields": [ { "name": "X", "type": "int8", "versions": "0+" } ] },
            { "name": "B", "type": "[]Item", "versions": "0+", "fields": [ { "name": "Y", "type": "int8", "versions": "0+" } ] }""");
        assertRejected(twice, "defined more than once");
        assertRejected(data("{ \"name\": \"A\", \"type\": \"[]Missing\", \"versions\": \"0+\" }"), "neither defined inline");
    }

    @Test
    void shouldRejectFieldNamesThatClashWithGeneratedMethods() {
        assertRejected(data("{ \"name\": \"UnknownTaggedFields\", \"type\": \"int8\", \"versions\": \"0+\" }"), "clash");
        assertRejected(data("{ \"name\": \"Class\", \"type\": \"int8\", \"versions\": \"0+\" }"), "clash");
    }

    @Test
    void shouldGenerateNothingForRetiredKeysAndPairRequestsWithResponses(@TempDir Path dir) throws IOException {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("PingRequest.json"), """
            { "apiKey": 70, "type": "request", "listeners": ["broker"], "name": "PingRequest",
              "validVersions": "0-1", "flexibleVersions": "1+", "fields": [] }""");
        Files.writeString(specs.resolve("PingResponse.json"), """
            { "apiKey": 70, "type": "response", "name": "PingResponse", "validVersions": "0-1",
              "flexibleVersions": "1+", "fields": [ { "name": "ErrorCode", "type": "int16", "versions": "0+" } ] }""");
        Files.writeString(specs.resolve("GoneRequest.json"), """
            { "apiKey": 71, "type": "request", "name": "GoneRequest", "validVersions": "none" }""");

        int written = MessageGenerator.generate(specs, dir.resolve("out"), "x.y");

        Path pkg = dir.resolve("out/x/y");
        assertThat(written).isEqualTo(3);
        assertThat(pkg.resolve("GoneRequestData.java")).doesNotExist();
        assertThat(Files.readString(pkg.resolve("ApiMessageType.java")))
            .contains("PING(\"Ping\", (short) 70, (short) 0, (short) 1, (short) 1, (short) 1");
        assertThat(Files.readString(pkg.resolve("PingResponseData.java")))
            .contains("public short errorCode()", "public PingResponseData setErrorCode(short v)");
    }

    @Test
    void shouldRejectARequestWithoutAResponse(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("PingRequest.json"), """
            { "apiKey": 70, "type": "request", "listeners": ["broker"], "name": "PingRequest",
              "validVersions": "0", "flexibleVersions": "none", "fields": [] }""");
        assertThatThrownBy(() -> MessageGenerator.generate(dir, dir.resolve("out"), "x.y"))
            .isInstanceOf(SpecException.class).hasMessageContaining("do not pair up");
    }

    private void assertRejected(String text, String messagePart) {
        assertThatThrownBy(() -> parser.parse(text, "Test.json"))
            .isInstanceOf(SpecException.class)
            .hasMessageContaining("Test.json")
            .hasMessageContaining(messagePart);
    }

    private static String data(String fields) {
        return "{ \"type\": \"data\", \"name\": \"A\", \"validVersions\": \"0-2\", \"flexibleVersions\": \"none\","
            + " \"fields\": [ " + fields + " ] }";
    }
}
