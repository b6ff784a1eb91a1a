# The JVM options of a served Fjord broker, in one place: sourced by bin/fjord, and run by the
# bench harness (`bash bin/lib/jvm-options.sh JAVA_MAJOR CLASSPATH CACHE_BASE` prints them one per
# line) so that the broker it measures starts exactly as `bin/fjord server` starts it.
#
# - Heap and GC: FJORD_JVM_OPTS when set, else G1 with Kafka's pause goal. G1 rather than ZGC: on
#   these machines ZGC costs 60-100 ms more JVM start-up and cannot use the archived heap objects
#   of the class-data cache below, and with Fjord's small allocation rate G1's pauses stay short.
# - Start-up cache: on JDK 25+ an ahead-of-time cache (JEP 483/514: classes loaded and linked,
#   profiles), on JDK 21-24 a dynamic class-data-sharing archive. The first start records it (its
#   exit takes a few seconds longer while the JVM writes it); later starts map it. The JVM does not
#   notice on its own that a rebuilt jar made the cache stale, so a cache older than any jar on
#   the class path is deleted and recorded again.
# - Unsafe for Netty on JDK 23+: from Java 25 Netty stops using sun.misc.Unsafe unless the JVM
#   allows its memory-access methods, and then allocates direct memory through the foreign-function
#   linker (60-80 ms of start-up linking downcalls) and reads buffers without Unsafe. Allowing it
#   keeps Netty on the path it takes on every older JDK and silences the JDK's warning. The option
#   exists from JDK 23 (JEP 471); JDK 21 and 22 reject it, and Netty uses Unsafe there anyway.
# - Reflection through native accessors (jdk.reflect.useNativeAccessorOnly): since JDK 18 (JEP 416)
#   every reflective constructor or method spins method-handle classes on its first call; start-up
#   makes a few dozen such calls (security providers, Netty, the logger) and spinning them cost
#   ~75 ms of a 0.47 s start on a 2-core machine (interleaved starts, docs/benchmarks.md). The broker calls nothing reflectively once serving,
#   so the accessors' slower steady state costs nothing.

fjord_cache_is_stale() {
  # $1 = cache file, $2 = class path: true when a class path entry is newer than the cache.
  local entry
  local IFS=:
  for entry in $2; do
    if [ -n "$entry" ] && [ "$entry" -nt "$1" ]; then return 0; fi
  done
  return 1
}

fjord_jvm_options() {
  # $1 = java feature version, $2 = class path, $3 = cache path without extension.
  # Fills the array FJORD_JVM_ARGS.
  local major=$1 classpath=$2 base=$3 cache
  if [ -n "${FJORD_JVM_OPTS:-}" ]; then
    read -r -a FJORD_JVM_ARGS <<< "$FJORD_JVM_OPTS"
  else
    FJORD_JVM_ARGS=(-Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20)
  fi
  if [ "$major" -ge 25 ]; then cache="$base.aot"; else cache="$base.jsa"; fi
  if [ -f "$cache" ] && fjord_cache_is_stale "$cache" "$classpath"; then rm -f "$cache"; fi
  if [ "$major" -ge 25 ]; then
    if [ -f "$cache" ]; then
      FJORD_JVM_ARGS+=("-XX:AOTCache=$cache")
    else
      FJORD_JVM_ARGS+=("-XX:AOTCacheOutput=$cache")
    fi
    FJORD_JVM_ARGS+=(-Xlog:aot=off -Xlog:cds=off)
  else
    FJORD_JVM_ARGS+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$cache" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
  if [ "$major" -ge 23 ]; then
    FJORD_JVM_ARGS+=(--sun-misc-unsafe-memory-access=allow)
  fi
  FJORD_JVM_ARGS+=(-Djdk.reflect.useNativeAccessorOnly=true)
  # Netty's epoll transport and the compression codecs load native libraries.
  FJORD_JVM_ARGS+=(--enable-native-access=ALL-UNNAMED)
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  if [ $# -ne 3 ]; then
    echo "usage: $0 JAVA_MAJOR CLASSPATH CACHE_BASE" >&2
    exit 2
  fi
  fjord_jvm_options "$1" "$2" "$3"
  printf '%s\n' "${FJORD_JVM_ARGS[@]}"
fi
