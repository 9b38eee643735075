# Shared by the bench/ scripts. Source it after setting $root to the checkout.
# BENCH_NO_BUILD=1 makes every function reuse the classpath of the previous build.

# Builds MODULE and the modules it depends on, test classes included, and prints the classpath
# that runs its JMH benchmarks: test classes, main classes, test-scope dependencies.
module_test_classpath() {
  local module=$1
  local listing="$root/$module/target/bench-test.classpath"
  if [[ -z ${BENCH_NO_BUILD:-} || ! -f $listing ]]; then
    (cd "$root" && mvn -q -B -Dstyle.color=never -pl "$module" -am test-compile dependency:build-classpath \
        -DincludeScope=test -Dmdep.outputFile=target/bench-test.classpath) >&2 || return 1
  fi
  echo "$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$listing")"
}

# Builds the MQTT benchmark runner and prints its classpath: its classes and Netty, nothing else
# (the module also holds a whole broker, whose logging would start up in the runner).
# Only integration-tests is compiled: the runner uses none of our other modules, so a plugin that
# does not build yet cannot stop a benchmark. The second command only lists jars; it names the
# compile phase with compilation skipped so that Maven resolves our modules without building them.
runner_classpath() {
  local listing="$root/integration-tests/target/bench-runtime.classpath"
  if [[ -z ${BENCH_NO_BUILD:-} || ! -f $listing ]]; then
    (cd "$root" && mvn -q -B -Dstyle.color=never -pl integration-tests compile \
      && mvn -q -B -Dstyle.color=never -pl integration-tests -am compile dependency:build-classpath -Dmaven.main.skip=true \
        -DincludeScope=runtime -DincludeGroupIds=io.netty \
        -Dmdep.outputFile=target/bench-runtime.classpath) >&2 || return 1
  fi
  echo "$root/integration-tests/target/classes:$(cat "$listing")"
}

# Exits with a usage error naming the first of the given commands that is not on the PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0" .sh): '$tool' is required" >&2; exit 2; }
  done
}

# Exits with a usage error if something listens on PORT.
require_free_port() {
  if [[ -n $(ss -Hltn "sport = :$1") ]]; then
    echo "$(basename "$0"): port $1 is in use; choose another with the port options" >&2
    exit 2
  fi
}

# Succeeds once an MQTT broker on PORT acknowledges a QoS 1 publish; fails after SECONDS or if PID dies.
wait_for_mqtt() {
  local port=$1 seconds=$2 pid=$3 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    timeout 5 mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t bench/ready -m ready 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

# The process that listens on PORT: the broker itself, whatever launcher started it.
listener_pid() {
  ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

# Stops bin/run-broker.sh started with setsid as PID: its shutdown hook stops broker and name
# server cleanly on SIGTERM (SIGINT may be ignored when the script runs in the background); its
# process group goes after a minute.
stop_launcher() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
