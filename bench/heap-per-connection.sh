#!/usr/bin/env bash
# Where the heap of an idle subscribed connection goes: starts a fresh broker (bin/run-broker.sh),
# takes a class histogram of its live objects (jmap -histo:live, which collects first), holds
# CLIENTS idle connections with one subscription each (bench/mqtt-bench.sh --scenario conns),
# takes a second histogram while they are held, and prints the difference per connection, by part
# and by class. The figures of docs/benchmarks.md "Heap per idle connection" come from it.
#
#   bench/heap-per-connection.sh [--clients N] [--top N] [--port P]
#
#   --clients N  connections held (default 10000; each is a file descriptor in the broker and in
#                the runner, which both raise their limit to the hard one, `ulimit -Hn`)
#   --top N      classes listed (default 30)
#   --port P     the broker's MQTT port (default 18850; name server and broker ports above it)
#
# Histograms, broker and runner logs stay in integration-tests/target/heap-per-connection/<time>/.
# Needs jmap from a JDK 17+, ss, mosquitto_pub (the readiness check) and awk.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/bench/lib.sh"

clients=10000 top=30 port=18850
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) clients=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
  esac
done
require_tools jmap ss mosquitto_pub awk
namesrv_port=$((port + 1)) broker_port=$((port + 20))
for p in "$port" "$namesrv_port" "$broker_port"; do require_free_port "$p"; done

out="$root/integration-tests/target/heap-per-connection/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
runner_classpath >/dev/null # built now, not while the broker is measured
setsid bin/run-broker.sh --data "$out/data" --mqtt-port "$port" --namesrv-port "$namesrv_port" \
  --broker-port "$broker_port" >"$out/broker.log" 2>&1 &
launcher=$!
trap 'stop_launcher "$launcher"' EXIT
wait_for_mqtt "$port" 300 "$launcher" || { echo "heap-per-connection: the broker did not start ($out/broker.log)" >&2; exit 3; }
pid=$(listener_pid "$port")
sleep 10 # let start-up garbage and lazily made singletons settle before the baseline

jmap -histo:live "$pid" >"$out/before.txt"
# The runner needs no warm-up here (--warmup 0): the histogram counts live objects only.
BENCH_NO_BUILD=1 BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:TieredStopAtLevel=1}" bench/mqtt-bench.sh \
  --scenario conns --port "$port" --clients "$clients" --ramp 2000 --warmup 0 --hold 60 >"$out/runner.log" 2>&1 &
runner=$!
# Connected at 2,000/s, then held 60 s: the histogram is taken well inside the hold.
sleep $((clients / 2000 + 20))
kill -0 "$runner" 2>/dev/null || { echo "heap-per-connection: the runner ended early ($out/runner.log)" >&2; exit 3; }
jmap -histo:live "$pid" >"$out/held.txt"
grep -q "connected $clients clients" "$out/runner.log" \
  || { echo "heap-per-connection: not all $clients connections were up when measured ($out/runner.log)" >&2; exit 3; }
kill "$runner" 2>/dev/null || true
wait "$runner" 2>/dev/null || true

# Histogram lines: "  rank:  instances  bytes  class-name (module)".
awk -v n="$clients" -v top="$top" '
  function part(c) {
    if (c ~ /^io\.netty\.channel\.(DefaultChannelPipeline|DefaultChannelHandlerContext)/) return "Netty pipeline"
    if (c ~ /^io\.netty\.handler\.codec/) return "Netty MQTT decoder"
    if (c ~ /^(io\.netty|java\.net)\./) return "Netty channel"
    if (c ~ /^net\.lightqueue\.mqtt\.(session|persistence|publish)\./) return "session"
    if (c ~ /^net\.lightqueue\.mqtt\.delivery\./) return "delivery"
    if (c ~ /^net\.lightqueue\.mqtt\.(server|codec|connection|auth)\./) return "connection"
    if (c ~ /^(java\.|\[)/) return "JDK collections, arrays, strings"
    return "other"
  }
  $1 ~ /^[0-9]+:$/ { bytes[$4] += (FILENAME ~ /held/ ? $3 : -$3); count[$4] += (FILENAME ~ /held/ ? $2 : -$2) }
  END {
    for (c in bytes) { parts[part(c)] += bytes[c]; total += bytes[c] }
    printf "heap per connection, %d connections: %.0f B\n\n", n, total / n
    for (p in parts) printf "%8.0f B  %s\n", parts[p] / n, p | "sort -rn"
    close("sort -rn")
    printf "\nby class (bytes and objects per connection):\n"
    for (c in bytes) if (bytes[c] > 0) printf "%8.1f B %6.2f  %s\n", bytes[c] / n, count[c] / n, c | "sort -rn | head -n " top
  }' "$out/before.txt" "$out/held.txt" | tee "$out/summary.txt"
echo
echo "histograms and logs: $out"
