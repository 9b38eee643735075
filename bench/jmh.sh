#!/usr/bin/env bash
# Runs JMH micro-benchmarks of one module: builds its test classes (where the @Benchmark
# classes live, with JMH's annotation processor), then runs org.openjdk.jmh.Main.
#   bench/jmh.sh MODULE [JMH arguments: benchmark regex, -f forks, -wi/-i iterations, -h help]
#   bench/jmh.sh rocksdb-cq IndexAppendBenchmark -f 1 -wi 2 -i 5
# BENCH_NO_BUILD=1 reuses the previous build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
if [[ $# -lt 1 || ! -f "$root/$1/pom.xml" ]]; then
  sed -n '2,6p' "$0" >&2
  exit 2
fi
module=$1
shift
classpath=$(module_test_classpath "$module")
# A plain java -cp (not exec:java inside Maven) lets JMH's forked JVMs inherit the classpath.
exec java -cp "$classpath" org.openjdk.jmh.Main "$@"
