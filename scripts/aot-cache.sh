# Sourced by ./herald: a JDK ahead-of-time cache (JEP 483, 514, 515) that lets `serve` start in well under half
# the time (measured on two cores: JVM launch to /health 200 in 3.1-3.5 s without it, 1.2-1.4 s with it).
#
# herald_aot_prepare JAR DIR record|use JAVA_OPTION...
#   Sets herald_aot_option to "-XX:AOTCache=FILE" for a cache of JAR under the exact JAVA_OPTIONs (a cache only
#   works with the options it was recorded with, so each set of options has its own file in DIR). With "record",
#   a cache that is missing or older than JAR is recorded first: Herald starts on a throwaway SQLite store and a
#   free port, answers one /health request (it is ready when /health answers, in any log format) and stops (a few seconds, once per build). herald_aot_option is ""
#   when there is no usable cache; Herald then starts without one. HERALD_AOT=off skips all of this.

herald_aot_option=""

herald_aot_prepare() {
  local jar=$1 dir=$2 mode=$3
  shift 3
  herald_aot_option=""
  [ "${HERALD_AOT:-on}" = off ] && return 0
  local key cache
  # A cache belongs to one JDK build and one set of options.
  key=$({ printf '%s\n' "$JAVA_HOME" "$@"; cat "$JAVA_HOME/release" 2>/dev/null; } | cksum | cut -d ' ' -f 1)
  cache="$dir/herald-$key.aot"
  if [ ! -s "$cache" ] || [ "$jar" -nt "$cache" ]; then
    [ "$mode" = record ] || return 0
    herald_aot_record "$jar" "$cache" "$@" || return 0
  fi
  herald_aot_option="-XX:AOTCache=$cache"
}

# Records CACHE by running Herald once with the given options; returns non-zero (and says why) when it could not.
herald_aot_record() {
  local jar=$1 cache=$2
  shift 2
  local work log pid port ready="" tries=0
  work=$(mktemp -d "${TMPDIR:-/tmp}/herald-aot.XXXXXX") || return 1
  log="$work/herald.log"
  port=$(herald_aot_free_port) || { echo "herald: no free loopback port to record the startup cache" >&2; rm -rf "$work"; return 1; }
  echo "herald: recording the startup cache for this build (once; HERALD_AOT=off skips it)…" >&2
  # Only this throwaway store and a free loopback port: the user's own store and port are never touched.
  env -u HERALD_CONFIG HERALD_STORE="sqlite:$work/data" HERALD_LISTEN_HOST=127.0.0.1 HERALD_LISTEN_PORT="$port" \
    "$JAVA_HOME/bin/java" "$@" "-XX:AOTCacheOutput=$cache.$$" -Xlog:aot=error,cds=error -jar "$jar" serve \
    >"$log" 2>&1 &
  pid=$!
  # Interrupted (Ctrl-C), the launcher takes the training run with it: a background job ignores SIGINT.
  trap 'kill -KILL "$pid" 2>/dev/null; rm -rf "$work" "$cache.$$" "$cache.$$.config"; exit 130' INT TERM
  # Recording and writing the cache takes seconds; a run that hangs is stopped after two minutes.
  (for _ in $(seq 120); do sleep 1; kill -0 "$pid" || exit 0; done; kill -KILL "$pid") >/dev/null 2>&1 &
  local watchdog=$!
  # Ready when /health answers 200 (whatever the log format: no log line is parsed). That request is also the one
  # the cache should hold: what serving a request loads.
  while [ -z "$ready" ] && [ $tries -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    tries=$((tries + 1))
    herald_aot_healthy "$port" && ready=1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  kill "$watchdog" 2>/dev/null || true
  trap - INT TERM
  if [ -n "$ready" ] && [ -s "$cache.$$" ]; then
    mv -f "$cache.$$" "$cache"
    rm -rf "$work"
    return 0
  fi
  rm -f "$cache.$$" "$cache.$$.config"
  echo "herald: could not record the startup cache; starting without it (HERALD_AOT=off stops trying). The" \
    "training run's log:" >&2
  tail -n 20 "$log" >&2
  rm -rf "$work"
  return 1
}

# Prints a loopback port nothing listens on (nothing answers a connection to it).
herald_aot_free_port() {
  local candidate
  for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# True when GET /health on PORT answers 200.
herald_aot_healthy() {
  local status
  status=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" \
    && printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 \
    && read -r -t 10 line <&3 && printf '%s' "$line") 2>/dev/null) || return 1
  case "$status" in "HTTP/1.1 200"*) return 0 ;; *) return 1 ;; esac
}
