#!/usr/bin/env bash
# Times persistent sessions resuming on the broker that holds them or on another broker group of
# the cluster (a session move): CONNECT to CONNACK, and to the last message of the backlog.
#   bench/session-move.sh FROM_PORT TO_PORT [rounds] [subscriptions] [backlog]
#   bench/session-move.sh 1883 1884      # with bin/run-broker.sh --brokers 2 running
# BENCH_NO_BUILD=1 reuses the previous build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
if [[ $# -lt 2 ]]; then
  sed -n '2,6p' "$0" >&2
  exit 2
fi
classpath=$(module_test_classpath integration-tests)
exec java -cp "$classpath" net.lightqueue.bench.SessionMoveProbe "$@"
