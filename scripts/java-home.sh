# Sourced by ./herald, ./run-tests and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer.
# Uses $JAVA_HOME when it is new enough, else searches the usual JVM directories; fails with a clear message.

herald_java_major() { # prints the major version of the JDK at $1, or nothing
  local home=$1 version=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

herald_find_java() {
  local required=25 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(herald_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then
      return 0
    fi
    echo "herald: JAVA_HOME=$JAVA_HOME is not a JDK $required or newer; searching the usual JVM directories" >&2
  fi
  for candidate in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    major=$(herald_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$required" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "herald: no JDK $required or newer found. Install one (e.g. Temurin $required) and/or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

herald_find_java || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
