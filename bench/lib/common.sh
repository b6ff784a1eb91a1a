# Sourced by bench/compare.sh, bench/restart-time.sh and bench/scale.sh: finds the JDK (bin/lib/find-java.sh), makes
# sure the Apache Kafka jars, the Fjord broker and the bench jar are built, then runs a bench main.
# Builds only what is missing; set BENCH_REBUILD=1 to rebuild the bench jar.

FJORD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$FJORD_HOME/bin/lib/find-java.sh"

bench_prepare() {
  cd "$FJORD_HOME"
  if [ ! -f bench/target/kafka-dist/kafka_2.13-4.1.2.jar ]; then
    echo "bench: fetching Apache Kafka 4.1.2 from Maven Central into bench/target/kafka-dist ..." >&2
    ./mvnw -q -B -f bench/kafka-dist/pom.xml package >&2
  fi
  if [ ! -f broker/target/runtime-classpath.txt ]; then
    echo "bench: building the Fjord broker ..." >&2
    ./mvnw -q -B -pl broker -am install -DskipTests >&2
  fi
  if [ ! -f perf/target/runtime-classpath.txt ]; then
    echo "bench: building fjord perf ..." >&2
    ./mvnw -q -B -pl perf -am install -DskipTests >&2
  fi
  if [ ! -f bench/target/benchmarks.jar ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
    echo "bench: building bench/target/benchmarks.jar ..." >&2
    ./mvnw -q -B -pl bench -am package -DskipTests >&2
  fi
}

# bench_run MAIN_CLASS ARGS...: the driver JVM stays small and out of the way of the brokers.
bench_run() {
  local main="$1"; shift
  exec "$JAVA_HOME/bin/java" -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dfjord.home="$FJORD_HOME" -cp "$FJORD_HOME/bench/target/benchmarks.jar" "$main" "$@"
}
