package io.fjord.protocol.types;

/** A top-level generated message: a request, response, header or embedded data structure. */
public interface ApiMessage extends Message {

    /** The Kafka API key of a request or response; -1 for headers and data structures. */
    short apiKey();

    /** The lowest version in the spec's {@code validVersions}. */
    short lowestSupportedVersion();

    /** The highest version in the spec's {@code validVersions}, including an unstable latest version. */
    short highestSupportedVersion();
}
