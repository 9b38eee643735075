#!/usr/bin/env bash
# Measures what each listener costs: starts one broker (bin/run-broker.sh) with the TCP, TLS,
# WebSocket and secure WebSocket listeners on, and runs against each, in one run, the connect rate
# of N clients (conns, one subscription each) and QoS 1 throughput (pubsub, 10 → 10 publishers/
# subscribers, one topic, max rate, 64 B). Prints a table to paste into docs/benchmarks.md.
#
#   bench/listeners.sh [--clients N] [--duration S] [--only tcp,tls,ws,wss] [--ports BASE]
#
#   --clients N    connections of the connect-rate run (default 2000)
#   --duration S   measured seconds of each throughput run, after 5 s of warm-up (default 15)
#   --only LIST    the transports to run, comma separated (default tcp,tls,ws,wss)
#   --ports BASE   MQTT on BASE, TLS BASE+1, ws BASE+2, wss BASE+3, name server BASE+10,
#                  broker BASE+20 (default 18850)
#
# The server certificate is a self-signed P-256 one made with openssl; TLS 1.3 is negotiated.
# The broker allows 120 s from accept to CONNECT (mqttConnectTimeoutSeconds), so that a burst of
# handshakes queued behind each other measures the rate instead of timing out.
# The runner shares the machine with the broker and does its own half of every TLS handshake:
# run it on a quiet machine. Needs openssl, mosquitto_pub, jq, ss and JDK 17.
# Logs and raw RESULT lines go to integration-tests/target/listeners/<time>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/bench/lib.sh"

clients=2000 duration=15 only=tcp,tls,ws,wss base=18850
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) clients=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --ports) base=$2; shift 2 ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
  esac
done
require_tools openssl mosquitto_pub jq ss java
declare -A port=([tcp]=$base [tls]=$((base + 1)) [ws]=$((base + 2)) [wss]=$((base + 3)))
IFS=',' read -ra transports <<<"$only"
for t in "${transports[@]}"; do
  [[ -n ${port[$t]:-} ]] || { echo "listeners: unknown transport '$t' (tcp, tls, ws, wss)" >&2; exit 2; }
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$root/integration-tests/target/listeners/$stamp"
mkdir -p "$work"
ulimit -n "$(ulimit -Hn)"
echo "building the runner ..." >&2
classpath=$(runner_classpath)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null

for p in "${port[@]}" $((base + 10)) $((base + 20)); do require_free_port "$p"; done
broker_pid=""
trap '[[ -z $broker_pid ]] || stop_launcher "$broker_pid"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
echo "starting the broker (the first start builds it) ..." >&2
setsid bin/run-broker.sh --data "$work/data" --mqtt-port "${port[tcp]}" --namesrv-port $((base + 10)) \
  --broker-port $((base + 20)) mqttTlsPort="${port[tls]}" mqttWsPort="${port[ws]}" mqttWssPort="${port[wss]}" \
  mqttTlsCertFile="$work/server.pem" mqttTlsKeyFile="$work/server.key" mqttConnectTimeoutSeconds=120 \
  >"$work/broker.log" 2>&1 &
broker_pid=$!
wait_for_mqtt "${port[tcp]}" 300 "$broker_pid" || { echo "listeners: the broker did not start, see $work/broker.log" >&2; exit 3; }
pid=$(listener_pid "${port[tcp]}")

# Runs the runner over one transport; its RESULT line goes to $work/<id>.json.
run() {
  local transport=$1 id=$2 rc
  shift 2
  local secure=()
  [[ $transport == tls || $transport == wss ]] && secure=(--cafile "$work/server.pem")
  echo "[$transport] $id" >&2
  set +e
  java -Xms1g -Xmx2g -cp "$classpath" net.lightqueue.bench.BenchMain --transport "$transport" "${secure[@]}" \
    --port "${port[$transport]}" --broker-pid "${pid:-0}" --label "$transport-$id" "$@" >"$work/$transport.$id.log" 2>&1
  rc=$?
  set -e
  grep '^RESULT ' "$work/$transport.$id.log" | tail -1 | cut -c8- >"$work/$transport.$id.json" || true
  [[ -s "$work/$transport.$id.json" ]] || echo '{"ok":false,"error":"no result line"}' >"$work/$transport.$id.json"
  echo "[$transport] $id: exit $rc, $(jq -c '{ok, error}' "$work/$transport.$id.json")" >&2
}

# The first TLS handshakes of a fresh JVM run its elliptic-curve code unoptimized: warm the
# broker's listeners up before anything is measured (each runner is a fresh JVM too: with 2,000
# clients its own warm-up is a small part of the run).
for t in "${transports[@]}"; do
  run "$t" warmup --scenario conns --clients 200 --ramp 1000000 --hold 0 --connect-timeout 60
done
for t in "${transports[@]}"; do
  # A ramp far above any broker's rate: the runner opens connections as fast as they are accepted,
  # at most 1,000 handshakes at a time.
  run "$t" conns --scenario conns --clients "$clients" --ramp 1000000 --hold 1 --connect-timeout 60
  run "$t" qos1 --scenario pubsub --publishers 10 --subscribers 10 --qos 1 --rate max --payload 64 \
    --warmup 5 --duration "$duration" --drain 30
done

# One figure, or why there is none.
figure() {
  local file="$work/$1.$2.json" key=$3
  if jq -e '.error' "$file" >/dev/null; then echo "setup failed"; return; fi
  if [[ $(jq -r '.ok' "$file") != true ]]; then echo "FAILED"; return; fi
  jq -r --arg k "$key" 'if has($k) then .[$k] | if type == "number" then (. * 10 | round / 10) else . end
    else "–" end' "$file"
}

echo "Run $(date -u +%Y-%m-%d) with \`bench/listeners.sh --clients $clients --duration $duration\` at commit" \
  "$(git rev-parse --short HEAD): $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1))," \
  "$(java -version 2>&1 | head -1 | tr -d '"'). One broker, every listener on; the runner shares the machine."
echo
echo "| Listener | connects/s ($clients clients) | QoS 1 publishes/s | deliveries/s | p99 latency ms | lost | broker CPU % |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for t in "${transports[@]}"; do
  echo "| $t | $(figure "$t" conns connects_per_s) | $(figure "$t" qos1 acked_per_s) | $(figure "$t" qos1 delivered_per_s)" \
    "| $(figure "$t" qos1 latency_p99_ms) | $(figure "$t" qos1 lost) | $(figure "$t" qos1 broker_cpu_load_pct) |"
done
echo
echo "(logs and raw results in $work)" >&2
