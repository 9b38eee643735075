#!/usr/bin/env bash
# Profiles the broker on MQTT port PORT while the load runner runs one scenario against it:
# a JFR recording (profile settings) of the measured window, then where the CPU samples went.
#
#   bench/profile.sh [--port P] [--top N] -- <mqtt-bench arguments>
#   bench/profile.sh -- --scenario fanin --publishers 1000 --rate 1000 --warmup 5 --duration 30
#
#   --port P   the broker's MQTT port (default 1883); the broker must run already (bin/run-broker.sh)
#   --top N    lines of each table (default 25)
#
# Prints three tables of execution samples: by the method on top of the stack, by the first
# frame of our code (net.lightqueue) in the stack, and by thread. The recording and the runner's
# RESULT line stay in integration-tests/target/profiles/<time>/ (open the .jfr with JDK Mission
# Control for flame graphs). Needs jcmd and jfr from a JDK 17+, and ss.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/bench/lib.sh"

port=1883 top=25
while [[ $# -gt 0 ]]; do
  case $1 in
    --port) port=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    --) shift; break ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
for tool in jcmd jfr ss; do
  command -v "$tool" >/dev/null || { echo "profile: '$tool' is required (a JDK 17+)" >&2; exit 2; }
done
pid=$(listener_pid "$port")
[[ -n $pid ]] || { echo "profile: nothing listens on port $port; start bin/run-broker.sh first" >&2; exit 2; }

out="$root/integration-tests/target/profiles/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
jcmd "$pid" JFR.start name=bench settings=profile filename="$out/broker.jfr" >/dev/null
trap 'jcmd "$pid" JFR.stop name=bench >/dev/null 2>&1 || true' EXIT
bench/mqtt-bench.sh --port "$port" --broker-pid "$pid" "$@" | tee "$out/runner.log" | grep '^RESULT' || true
jcmd "$pid" JFR.stop name=bench >/dev/null
trap - EXIT

jfr print --events jdk.ExecutionSample "$out/broker.jfr" > "$out/samples.txt"
# One sample: 'sampledThread = "name" (...)', then 'stackTrace = [' and one frame per line, top first.
awk '
  /sampledThread = / { thread = $0; sub(/.*sampledThread = "/, "", thread); sub(/".*/, "", thread) }
  /stackTrace = \[/ { frame = 0; ours = ""; next }
  /^[[:space:]]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*line:/ {
    method = $1; sub(/\(.*/, "", method)
    if (frame == 0) { print "top\t" method; print "thread\t" thread }
    if (ours == "" && method ~ /^net\.lightqueue\./) { ours = method; print "ours\t" method }
    frame++
  }' "$out/samples.txt" > "$out/frames.tsv"
total=$(grep -c '^top' "$out/frames.tsv" || true)
table() { # KIND TITLE
  printf '\n%s (of %d samples)\n' "$2" "$total"
  grep "^$1"$'\t' "$out/frames.tsv" | cut -f2 | sort | uniq -c | sort -rn | head -n "$top" \
    | awk -v total="$total" '{ printf "%9d %5.1f%%  %s\n", $1, 100 * $1 / total, $2 }'
}
{
  table top "top of stack"
  table ours "first frame of our code"
  table thread "threads"
} | tee "$out/summary.txt"
echo
echo "recording: $out/broker.jfr"
