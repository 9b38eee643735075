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
