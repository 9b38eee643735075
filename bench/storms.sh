#!/usr/bin/env bash
# Storms against one broker (bin/run-broker.sh), each while a bystander publisher and subscriber
# exchange QoS 1 messages at 100/s on their own connections: a burst of connects, one client id
# taken over back and forth, clients with wills all dropping at once, a SUBSCRIBE/UNSUBSCRIBE
# flood. Prints a table to paste into docs/benchmarks.md; exits 1 if any storm broke a guarantee.
#
#   bench/storms.sh [--connects N] [--takeovers N] [--wills N] [--subscribes N] [--only LIST] [--ports BASE]
#
#   --connects N    connections of the burst (default 50000)
#   --takeovers N   takeovers of one client id (default 1000)
#   --wills N       clients with a will that drop at once (default 10000)
#   --subscribes N  SUBSCRIBE/UNSUBSCRIBE pairs over 100 connections (default 50000)
#   --only LIST     the storms to run, comma separated (default connect,takeover,wills,subscribe)
#   --ports BASE    MQTT on BASE, name server BASE+10, broker BASE+20 (default 18870)
#
# Every connection is a file descriptor in the runner and one in the broker: the script raises
# its soft limit to the hard one (both processes inherit it) and refuses to start when the hard
# limit is too low for the burst. The runner spreads connections over 127.0.0.1, 127.0.0.2 ...
# (25,000 each). Clients speak MQTT 5, so a takeover must end the older connection with
# DISCONNECT 0x8E. The broker allows 120 s from accept to CONNECT (mqttConnectTimeoutSeconds), so
# that a burst queued behind itself measures the rate instead of timing out.
# Run it on a quiet machine. Needs mosquitto_pub, jq, ss and JDK 17.
# Logs and raw RESULT lines go to integration-tests/target/storms/<time>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/bench/lib.sh"

connects=50000 takeovers=1000 wills=10000 subscribes=50000 only=connect,takeover,wills,subscribe base=18870
while [[ $# -gt 0 ]]; do
  case $1 in
    --connects) connects=$2; shift 2 ;;
    --takeovers) takeovers=$2; shift 2 ;;
    --wills) wills=$2; shift 2 ;;
    --subscribes) subscribes=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --ports) base=$2; shift 2 ;;
    *) sed -n '2,24p' "$0" >&2; exit 2 ;;
  esac
done
require_tools mosquitto_pub jq ss java
declare -A size=([connect]=$connects [takeover]=$takeovers [wills]=$wills [subscribe]=$subscribes)
IFS=',' read -ra storms <<<"$only"
for s in "${storms[@]}"; do
  [[ -n ${size[$s]:-} ]] || { echo "storms: unknown storm '$s' (connect, takeover, wills, subscribe)" >&2; exit 2; }
done

ulimit -n "$(ulimit -Hn)"
# The larger of the two connection storms, plus the broker's own files (store, index, jars).
needed=$(((connects > wills ? connects : wills) + 5000))
if (($(ulimit -n) < needed)); then
  echo "storms: the file limit is $(ulimit -n), the storms need about $needed descriptors per process;" \
    "raise the hard limit (e.g. 'nofile' in /etc/security/limits.conf, or run as root after 'ulimit -Hn $needed')" >&2
  exit 2
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$root/integration-tests/target/storms/$stamp"
mkdir -p "$work"
echo "building the runner ..." >&2
classpath=$(runner_classpath)

for p in "$base" $((base + 10)) $((base + 20)); do require_free_port "$p"; done
broker_pid=""
trap '[[ -z $broker_pid ]] || stop_launcher "$broker_pid"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
echo "starting the broker (the first start builds it) ..." >&2
setsid bin/run-broker.sh --data "$work/data" --mqtt-port "$base" --namesrv-port $((base + 10)) \
  --broker-port $((base + 20)) mqttConnectTimeoutSeconds=120 >"$work/broker.log" 2>&1 &
broker_pid=$!
wait_for_mqtt "$base" 300 "$broker_pid" || { echo "storms: the broker did not start, see $work/broker.log" >&2; exit 3; }
pid=$(listener_pid "$base")

failed=0
# Runs one storm; its RESULT line goes to $work/<storm>.json.
run() {
  local storm=$1 rc
  shift
  echo "[$storm] ${size[$storm]}" >&2
  set +e
  java -Xms1g -Xmx2g -cp "$classpath" net.lightqueue.bench.BenchMain --scenario "storm-$storm" --storm "${size[$storm]}" \
    --port "$base" --mqtt 5 --rate 100 --warmup 10 --drain 60 --connect-timeout 120 --broker-pid "${pid:-0}" \
    --label "storm-$storm" "$@" >"$work/$storm.log" 2>&1
  rc=$?
  set -e
  ((rc == 0)) || failed=1
  grep '^RESULT ' "$work/$storm.log" | tail -1 | cut -c8- >"$work/$storm.json" || true
  [[ -s "$work/$storm.json" ]] || echo '{"ok":false,"error":"no result line"}' >"$work/$storm.json"
  echo "[$storm] exit $rc, $(jq -c '{ok, error}' "$work/$storm.json")" >&2
}

for s in "${storms[@]}"; do
  case $s in
    # A ramp far above any broker's rate: connections open as fast as they are accepted, at most
    # 1,000 handshakes at a time.
    connect) run connect --ramp 1000000 ;;
    takeover) run takeover ;;
    wills) run wills --ramp 1000000 ;;
    subscribe) run subscribe --clients 100 ;;
  esac
done

# One figure of a storm's result, or why there is none.
figure() {
  local file="$work/$1.json" key=$2
  if jq -e '.error' "$file" >/dev/null; then echo "setup failed"; return; fi
  jq -r --arg k "$key" 'if has($k) then .[$k] | if type == "number" then (. * 10 | round / 10) else . end
    else "–" end' "$file"
}
# The storm's own figures, in words.
storm_figures() {
  case $1 in
    connect) echo "$(figure connect connects_per_s) connects/s, connect p50 $(figure connect connect_p50_ms) ms," \
      "p99 $(figure connect connect_p99_ms) ms" ;;
    takeover) echo "$(figure takeover takeovers_per_s) takeovers/s, p50 $(figure takeover takeover_p50_ms) ms," \
      "p99 $(figure takeover takeover_p99_ms) ms; $(figure takeover takeovers_without_0x8e) without 0x8E" ;;
    wills) echo "$(figure wills wills_received) wills received once each ($(figure wills wills_duplicated) twice)," \
      "the last after $(figure wills wills_last_ms) ms" ;;
    subscribe) echo "$(figure subscribe acks_per_s) SUBACK+UNSUBACK/s, p50 $(figure subscribe ack_p50_ms) ms," \
      "p99 $(figure subscribe ack_p99_ms) ms" ;;
  esac
}

echo "Run $(date -u +%Y-%m-%d) with \`bench/storms.sh --connects $connects --takeovers $takeovers --wills $wills" \
  "--subscribes $subscribes\` at commit $(git rev-parse --short HEAD): $(nproc) cores" \
  "($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(java -version 2>&1 | head -1 | tr -d '"')." \
  "Bystander: QoS 1, 100 msg/s, latency of messages sent in the 10 s before the storm and during it."
echo
echo "| Storm | Size | Storm figures | Bystander p50 / p99 / max ms before | during | Bystander lost | ok | broker CPU % |"
echo "|---|---:|---|---|---|---:|---|---:|"
for s in "${storms[@]}"; do
  echo "| $s | ${size[$s]} | $(storm_figures "$s")" \
    "| $(figure "$s" bystander_before_p50_ms) / $(figure "$s" bystander_before_p99_ms) / $(figure "$s" bystander_before_max_ms)" \
    "| $(figure "$s" bystander_storm_p50_ms) / $(figure "$s" bystander_storm_p99_ms) / $(figure "$s" bystander_storm_max_ms)" \
    "| $(figure "$s" lost) | $(figure "$s" ok) | $(figure "$s" broker_cpu_storm_pct) |"
done
echo
echo "(logs and raw results in $work)" >&2
exit "$failed"
