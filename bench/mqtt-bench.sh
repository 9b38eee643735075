#!/usr/bin/env bash
# Runs the MQTT benchmark runner against a broker on this machine.
#   bench/mqtt-bench.sh --help
#   bench/mqtt-bench.sh --scenario pubsub --port 1883 --publishers 10 --subscribers 10 --qos 1
# Builds integration-tests first (BENCH_NO_BUILD=1 skips that); BENCH_JAVA_OPTS sets the
# runner JVM's options. Exit codes: see --help.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
classpath=$(runner_classpath)
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of JVM options
# Every MQTT connection is a file descriptor: take the hard limit, not a soft one of 1,024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java ${BENCH_JAVA_OPTS:--Xms1g -Xmx2g} -cp "$classpath" net.lightqueue.bench.BenchMain "$@"
