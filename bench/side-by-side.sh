#!/usr/bin/env bash
# Runs the standard benchmark suite against Mosquitto and against our broker (a RocketMQ broker
# with the plugin, started by bin/run-broker.sh), one after the other on this machine, and
# writes the comparison table into docs/benchmarks.md between the side-by-side markers.
#
#   bench/side-by-side.sh [--quick] [--only mosquitto|ours] [--scenarios ID,ID...] [--ours-cmd CMD]
#                         [--ours-timeout S] [--mosquitto-port P] [--ours-port P] [--out FILE] [--no-write]
#
#   --quick        smaller sizes and shorter runs, to try the script out (a few minutes)
#   --only B       run one broker; the other's column reads "not run"
#   --scenarios L  run only these scenarios of the suite (ids as in the table, comma-separated)
#   --ours-cmd C   how to start our broker; {port} {data} {namesrv} {broker} are replaced. Default:
#                  bin/run-broker.sh --mqtt-port {port} --data {data} --namesrv-port {namesrv} --broker-port {broker}
#   --ours-timeout seconds to wait for our MQTT port to answer (default 300: the first start builds)
#   --no-write     print the table instead of writing it into docs/benchmarks.md
#
# If our broker cannot be started or its MQTT port does not answer in time, its column reads
# "n/a (MQTT server not available)" and the Mosquitto figures are still written.
# Needs mosquitto and mosquitto_pub (Debian: mosquitto mosquitto-clients), jq, ss and JDK 17.
# Logs and raw RESULT lines go to integration-tests/target/side-by-side/<time>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/bench/lib.sh"

quick=false only="" scenarios="" out="$root/docs/benchmarks.md" write=true ours_timeout=300
mosquitto_port=18831 ours_port=18841 namesrv_port=19876 broker_port=20911
ours_cmd="bin/run-broker.sh --mqtt-port {port} --data {data} --namesrv-port {namesrv} --broker-port {broker}"
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=true; shift ;;
    --only) only=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --ours-cmd) ours_cmd=$2; shift 2 ;;
    --ours-timeout) ours_timeout=$2; shift 2 ;;
    --mosquitto-port) mosquitto_port=$2; shift 2 ;;
    --ours-port) ours_port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-write) write=false; shift ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
require_tools mosquitto mosquitto_pub jq ss java

# ---- the suite: the scenarios and sizes that the budgets in the issues name -------------------
if $quick; then
  warm=(--warmup 2 --duration 8 --drain 10); fanout_subs=100; conns=1000; sessions=1000; hold=3; catchup=30
else
  warm=(--warmup 5 --duration 30 --drain 30); fanout_subs=1000; conns=10000; sessions=10000; hold=10; catchup=300
fi
# id | what | runner arguments | figures (result key:label, ↑ more is better, ↓ less is better)
#   | runner JVM options, where a scenario needs its own. The connection scenarios run the runner
#   on C1 only: a fresh runner's C2 compiling took 59% of its samples in a 10,000-connect run and
#   half a core from the broker it measures (runner CPU 103–107% → 49–54%, connect p99 against
#   the same warm broker 455–606 → 336–408 ms); at max rate C2 keeps the runner faster.
suite=(
  "pubsub-qos1-max|QoS 1, 10 → 10 publishers/subscribers, one topic, max rate, 64 B|--scenario pubsub --publishers 10 --subscribers 10 --qos 1 --rate max --payload 64 ${warm[*]}|acked_per_s:publishes/s ↑,delivered_per_s:deliveries/s ↑,latency_p99_ms:p99 latency ms ↓,lost:lost ↓,out_of_order:out of order ↓,broker_cpu_load_pct:broker CPU % ↓,broker_load_rss_kb:broker RSS KB ↓"
  "pubsub-qos1-1k|QoS 1, 10 → 10, one topic, 1,000 publishes/s, 64 B|--scenario pubsub --publishers 10 --subscribers 10 --qos 1 --rate 1000 --payload 64 ${warm[*]}|latency_p50_ms:p50 latency ms ↓,latency_p99_ms:p99 latency ms ↓,latency_p999_ms:p99.9 latency ms ↓,broker_cpu_load_pct:broker CPU % ↓"
  "fanout-qos0|QoS 0, 1 → $fanout_subs subscribers, 100 publishes/s, 64 B|--scenario fanout --subscribers $fanout_subs --qos 0 --rate 100 --payload 64 ${warm[*]}|delivered_per_s:deliveries/s ↑,latency_p99_ms:p99 latency ms ↓,lost:lost (QoS 0) ↓,broker_cpu_load_pct:broker CPU % ↓"
  "fanin-qos1-1k|QoS 1 fan-in, 1,000 publishers → 1 subscriber of +/…, 1,000 publishes/s, 64 B|--scenario fanin --publishers 1000 --qos 1 --rate 1000 --payload 64 --first-level own ${warm[*]}|latency_p50_ms:p50 latency ms ↓,latency_p99_ms:p99 latency ms ↓,broker_cpu_load_pct:broker CPU % ↓"
  "connect-1k|$conns connections subscribing at 1,000/s|--scenario conns --clients $conns --ramp 1000 --hold 0|connect_p50_ms:connect p50 ms ↓,connect_p99_ms:connect p99 ms ↓,connects_per_s:connects/s ↑|-XX:TieredStopAtLevel=1"
  "conns|$conns idle connections, one subscription each|--scenario conns --clients $conns --hold $hold --warmup 0|connects_per_s:connects/s ↑,broker_rss_per_conn_bytes:broker RSS per connection B ↓,broker_heap_per_conn_bytes:broker heap per connection B ↓,broker_cpu_hold_pct:broker CPU idle % ↓|-XX:TieredStopAtLevel=1"
  "persistent|$sessions offline persistent sessions × 100 QoS 1 messages, then all reconnect|--scenario persistent --subscribers $sessions --publishers 1 --count 100 --qos 1 --ramp 5000 --connect-timeout 60 --duration 60 --drain $catchup|broker_rss_per_session_bytes:broker RSS per offline session B ↓,broker_heap_per_session_bytes:broker heap per offline session B ↓,broker_rss_per_queued_msg_bytes:broker RSS per queued message B ↓,broker_heap_per_queued_msg_bytes:broker heap per queued message B ↓,catchup_per_s:backlog deliveries/s on reconnect ↑,lost:lost ↓"
)
if [[ -n $scenarios ]]; then
  chosen=()
  for entry in "${suite[@]}"; do
    [[ ",$scenarios," == *",${entry%%|*},"* ]] && chosen+=("$entry")
  done
  ((${#chosen[@]})) || { echo "side-by-side: no scenario of the suite matches --scenarios $scenarios" >&2; exit 2; }
  suite=("${chosen[@]}")
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$root/integration-tests/target/side-by-side/$stamp"
mkdir -p "$work"
ulimit -n "$(ulimit -Hn)"
echo "building the runner ..." >&2
classpath=$(runner_classpath)

# ---- helpers ----------------------------------------------------------------------------------
mosquitto_pid="" ours_pid=""
stop_all() {
  if [[ -n $mosquitto_pid ]]; then
    kill "$mosquitto_pid" 2>/dev/null || true
    wait "$mosquitto_pid" 2>/dev/null || true
    mosquitto_pid=""
  fi
  if [[ -n $ours_pid ]]; then
    stop_launcher "$ours_pid"
    ours_pid=""
  fi
}
trap stop_all EXIT
# Exit on these signals so that the EXIT trap stops the brokers this script started.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Starts Mosquitto on its port, or fails.
start_mosquitto() {
  require_free_port "$mosquitto_port"
  # Mosquitto defaults except: queues big enough that the persistent scenario loses nothing
  # (the default of 1000 drops), no persistence file, and no Nagle delay (the runner sets TCP_NODELAY).
  cat >"$work/mosquitto.conf" <<CONF
listener $mosquitto_port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
set_tcp_nodelay true
CONF
  mosquitto -c "$work/mosquitto.conf" >>"$work/mosquitto.log" 2>&1 &
  mosquitto_pid=$!
  wait_for_mqtt "$mosquitto_port" 10 "$mosquitto_pid"
}

# Starts our broker from a fresh data folder, or fails if its MQTT port does not answer in time.
start_ours() {
  local data cmd
  for p in "$ours_port" "$namesrv_port" "$broker_port"; do require_free_port "$p"; done
  data="$work/ours-data-$1"
  cmd=${ours_cmd//\{port\}/$ours_port}
  cmd=${cmd//\{data\}/$data}
  cmd=${cmd//\{namesrv\}/$namesrv_port}
  cmd=${cmd//\{broker\}/$broker_port}
  echo "starting our broker: $cmd" >&2
  setsid bash -c "exec $cmd" >>"$work/ours.log" 2>&1 &
  ours_pid=$!
  wait_for_mqtt "$ours_port" "$ours_timeout" "$ours_pid"
}

# Runs every scenario against a broker started afresh for it, so that memory figures start from
# a clean process rather than from the high-water mark an earlier scenario left behind.
# Sets <name>_status: ok, or why the broker could not be run.
run_suite() {
  local name=$1 port=$2 unavailable=$3 entry id what args runner_jvm rc pid
  for entry in "${suite[@]}"; do
    IFS='|' read -r id what args _ runner_jvm <<<"$entry"
    if ! "start_$name" "$id"; then
      stop_all
      printf -v "${name}_status" '%s' "$unavailable"
      return
    fi
    echo "[$name] $id: $what" >&2
    pid=$(listener_pid "$port")
    set +e
    # shellcheck disable=SC2086 # args and runner_jvm are lists of options
    java -Xms1g -Xmx2g $runner_jvm -cp "$classpath" net.lightqueue.bench.BenchMain \
      --port "$port" --broker-pid "${pid:-0}" --label "$id" $args >"$work/$name.$id.log" 2>&1
    rc=$?
    set -e
    stop_all
    grep '^RESULT ' "$work/$name.$id.log" | tail -1 | cut -c8- >"$work/$name.$id.json" || true
    [[ -s "$work/$name.$id.json" ]] || echo '{"ok":false,"error":"no result line"}' >"$work/$name.$id.json"
    echo "[$name] $id: exit $rc, $(jq -c '{ok, error}' "$work/$name.$id.json")" >&2
  done
  printf -v "${name}_status" '%s' ok
}

mosquitto_status="not run" ours_status="not run"
if [[ $only != ours ]]; then
  run_suite mosquitto "$mosquitto_port" "n/a (Mosquitto did not start, see $work/mosquitto.log)"
fi
if [[ $only != mosquitto ]]; then
  if [[ -x ${ours_cmd%% *} ]]; then
    run_suite ours "$ours_port" "n/a (MQTT server not available)"
  else
    ours_status="n/a (launcher ${ours_cmd%% *} not found)"
  fi
fi

# ---- the table --------------------------------------------------------------------------------
# One figure of one broker's run, or a dash when the run did not produce it.
cell() {
  local file="$work/$1.$2.json" key=$3 status=$4
  if [[ $status != ok ]] || jq -e '.error' "$file" >/dev/null; then echo "–"; return; fi
  jq -r --arg k "$key" 'if has($k) then .[$k] else "–" end' "$file"
}

pretty() {
  awk -v v="$1" 'BEGIN {
    if (v !~ /^-?[0-9.]+$/) { print v; exit }
    if (v + 0 >= 100 || v + 0 <= -100) printf "%.0f\n", v; else printf "%.3g\n", v }'
}

ratio() {
  awk -v o="$1" -v m="$2" 'BEGIN {
    if (o !~ /^-?[0-9.]+$/ || m !~ /^-?[0-9.]+$/ || m + 0 == 0) { print "–"; exit }
    printf "%.2f\n", o / m }'
}

# How one broker's run of one scenario went: ok, FAILED, setup failed, or why it did not run.
verdict() {
  local file="$work/$1.$2.json" status=$3
  if [[ $status != ok ]]; then echo "$status"
  elif jq -e '.error' "$file" >/dev/null; then echo "setup failed: $(jq -r .error "$file")"
  elif [[ $(jq -r '.ok' "$file") == true ]]; then echo "ok"
  else echo "FAILED (guarantee broken, see log)"; fi
}

table="$work/table.md"
{
  echo "Run $(date -u +%Y-%m-%d) with \`bench/side-by-side.sh$($quick && echo ' --quick')\` at commit" \
    "$(git rev-parse --short HEAD): $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1))," \
    "$(java -version 2>&1 | head -1 | tr -d '"'), $(mosquitto -h 2>/dev/null | head -1 || true)." \
    "The runner shares the machine with the broker."
  echo
  echo "| Scenario | Figure | Mosquitto | Ours | Ours ÷ Mosquitto |"
  echo "|---|---|---:|---:|---:|"
  for entry in "${suite[@]}"; do
    IFS='|' read -r id what _ figures _ <<<"$entry"
    echo "| **$id**: $what | run | $(verdict mosquitto "$id" "$mosquitto_status") | $(verdict ours "$id" "$ours_status") | |"
    IFS=',' read -ra pairs <<<"$figures"
    for pair in "${pairs[@]}"; do
      key=${pair%%:*} label=${pair#*:}
      m=$(cell mosquitto "$id" "$key" "$mosquitto_status")
      o=$(cell ours "$id" "$key" "$ours_status")
      echo "| | $label | $(pretty "$m") | $(pretty "$o") | $(ratio "$o" "$m") |"
    done
  done
} >"$table"

if ! $write; then
  cat "$table"
  exit 0
fi
begin='<!-- side-by-side:begin -->' end='<!-- side-by-side:end -->'
if ! grep -qF "$begin" "$out" || ! grep -qF "$end" "$out"; then
  echo "side-by-side: $out has no '$begin' ... '$end' markers; table left in $table" >&2
  exit 1
fi
# Replace only what is between the markers; the rest of the file is read fresh right here.
awk -v begin="$begin" -v end="$end" -v table="$table" '
  $0 == begin { print; while ((getline line < table) > 0) print line; skipping = 1; next }
  $0 == end { skipping = 0 }
  !skipping { print }' "$out" >"$out.tmp"
mv "$out.tmp" "$out"
echo "table written to $out (logs and raw results in $work)" >&2
