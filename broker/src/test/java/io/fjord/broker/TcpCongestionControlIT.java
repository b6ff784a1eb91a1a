package io.fjord.broker;

import io.fjord.broker.server.FjordBroker;
import io.fjord.protocol.message.ApiMessageType;
import io.fjord.protocol.message.ApiVersionsRequestData;
import io.fjord.protocol.message.ApiVersionsResponseData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code socket.tcp.congestion.control} on Linux: the connections the broker accepts send with the
 * algorithm named, whatever the machine's default (reno is built into every Linux kernel and always
 * allowed); a name the kernel does not have stops start-up with a message naming the key.
 */
class TcpCongestionControlIT {

    @Test
    void acceptedConnectionsSendWithTheConfiguredAlgorithm() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")))
            .as("iproute2's ss shows a socket's congestion control").isTrue();
        try (FjordBroker broker = RawClient.startBroker("fjord-cc-", Map.of("socket.tcp.congestion.control", "reno"));
             RawClient client = new RawClient(broker)) {
            ApiVersionsResponseData versions = client.call(ApiMessageType.API_VERSIONS, (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("cc-test").setClientSoftwareVersion("1"), new ApiVersionsResponseData());
            assertThat(versions.errorCode()).isZero();

            int port = broker.boundEndpoints().get(0).port();
            String brokerSide = ss("state", "established", "( sport = :" + port + " )");
            assertThat(brokerSide).as("the broker's end of the connection, per ss -tin:%n%s", brokerSide).contains(" reno ");
        }
    }

    @Test
    void anAlgorithmTheKernelDoesNotHaveStopsStartUp() {
        assertThatThrownBy(() -> RawClient.startBroker("fjord-cc-", Map.of("socket.tcp.congestion.control", "nosuchcc")))
            .hasMessageContaining("socket.tcp.congestion.control=nosuchcc").hasMessageContaining("available here");
    }

    private static String ss(String... filter) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ss", "-tinH"));
        command.addAll(List.of(filter));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return " " + output.replaceAll("\\s+", " ") + " ";
    }
}
