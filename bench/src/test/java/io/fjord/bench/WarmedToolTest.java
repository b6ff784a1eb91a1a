package io.fjord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmedToolTest {

    @Test
    void shouldWarmUpWithTheSameArgumentsButTheOptionsItIsTold() {
        String[] counted = {"--topic", "t", "--num-records", "1000", "--record-size", "100", "--throughput", "500"};

        String[] warmup = WarmedTool.withOption(counted, "--num-records", "150");

        assertThat(warmup).containsExactly("--topic", "t", "--num-records", "150", "--record-size", "100", "--throughput", "500");
        assertThat(counted[3]).isEqualTo("1000");
    }

    @Test
    void shouldApplyEveryWarmupSetInTurnAndRefuseOneWithoutAValue() {
        String[] counted = {"--topic", "t", "--messages", "5000000", "--group", "g"};

        assertThat(WarmedTool.withOptions(counted, java.util.List.of("--messages=100", "--group=g-warmup")))
            .containsExactly("--topic", "t", "--messages", "100", "--group", "g-warmup");
        assertThat(WarmedTool.withOptions(counted, java.util.List.of())).isSameAs(counted);
        assertThatThrownBy(() -> WarmedTool.withOptions(counted, java.util.List.of("--messages")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("OPTION=VALUE");
    }

    @Test
    void shouldRefuseToSetAnOptionTheToolWasNotGiven() {
        assertThatThrownBy(() -> WarmedTool.withOption(new String[] {"--topic", "t"}, "--num-records", "10"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--num-records");
    }

    @Test
    void shouldFindTheValueOfTheOptionARepeatedPassVaries() {
        String[] warmup = {"--topic", "t", "--group", "bench-t-warmup", "--messages", "10"};

        assertThat(WarmedTool.valueOf(warmup, "--group")).isEqualTo("bench-t-warmup");
        assertThat(WarmedTool.withOption(warmup, "--group", WarmedTool.valueOf(warmup, "--group") + "-2"))
            .containsExactly("--topic", "t", "--group", "bench-t-warmup-2", "--messages", "10");
        assertThatThrownBy(() -> WarmedTool.valueOf(warmup, "--num-records")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSetAPositionalArgumentByItsIndex() {
        String[] counted = {"127.0.0.1:9092", "e2e", "5000", "1", "100"};

        assertThat(WarmedTool.withOption(counted, "#2", "2500")).containsExactly("127.0.0.1:9092", "e2e", "2500", "1", "100");
        assertThatThrownBy(() -> WarmedTool.withOption(counted, "#5", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WarmedTool.withOption(counted, "#-1", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPreferAnEntryPointThatReturnsOverAMainThatExits() throws Exception {
        assertThat(WarmedTool.entryPoint(ExitingTool.class).getName()).isEqualTo("mainNoExit");
        assertThat(WarmedTool.entryPoint(PlainTool.class).getName()).isEqualTo("main");
        assertThat(WarmedTool.entryPoint(ExitingTool.class).invoke(null, (Object) new String[] {"a", "b"})).isEqualTo(2);
    }

    static final class ExitingTool {
        public static void main(String[] args) {
            System.exit(mainNoExit(args));
        }

        private static int mainNoExit(String... args) {
            return args.length;
        }
    }

    static final class PlainTool {
        public static void main(String[] args) {
        }
    }
}
