# Sourced by ./mvnw and bin/fjord. Finds a JDK 21+ and exports JAVA_HOME.
# Order: $JAVA_HOME if it is 21+, then `java` on PATH, then JDKs under /usr/lib/jvm,
# /usr/local/lib/jvm, /opt and ~/.sdkman (newest first). Prints a clear message and exits
# when none is found: the default `java` on many machines is 17, which cannot build Fjord.

fjord_java_major() {
  # $1 = path to a java executable; prints its feature version (17, 21, 25, ...) or nothing.
  # A JDK's `release` file names it (JAVA_VERSION="25.0.3", "1.8.0_412" before 9): reading it costs
  # nothing, while asking the JVM costs a JVM start (~100 ms) — and this runs on every
  # `bin/fjord server`, whose start-up Fjord promises to keep under half a second.
  local home release version
  home=$(dirname "$(dirname "$1")")
  release="$home/release"
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$release" | head -n 1)
    case "$version" in
      1.*) version=${version#1.} ;;
    esac
    version=${version%%.*}
    if [ -n "$version" ]; then echo "$version"; return; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

fjord_find_java() {
  local min=21 candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(fjord_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then export JAVA_HOME; return 0; fi
  fi
  if command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
    candidate=$(readlink -f "$(command -v javac)")
    candidate=${candidate%/bin/javac}
    major=$(fjord_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  # find, not a glob: ./mvnw runs under `set -f`.
  for candidate in $(find /usr/lib/jvm /usr/local/lib/jvm /opt /opt/java "$HOME/.sdkman/candidates/java" \
      -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV); do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(fjord_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  echo "fjord: no JDK $min or newer found." >&2
  echo "fjord: looked at \$JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, /usr/lib/jvm, /usr/local/lib/jvm, /opt and ~/.sdkman." >&2
  echo "fjord: install a JDK $min+ (for example Debian's openjdk-21-jdk or Temurin 21) or set JAVA_HOME to one." >&2
  exit 1
}

fjord_find_java
