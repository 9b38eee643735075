#!/usr/bin/env bash
# Runs a RocketMQ name server and broker with the MQTT plugin, from this checkout:
# name server 9876, broker 10911, MQTT 1883, data in ./data. Ctrl-C stops both cleanly.
#   bin/run-broker.sh [--data DIR] [--mqtt-port P] [--namesrv-port P] [--broker-port P] [key=value ...]
# key=value arguments are added to broker.conf (e.g. mqttAllowAnonymous=false, mqttTlsPort=8883, mqttWsPort=8083,
# mqttProxyProtocol=true; see the README section "Listeners").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
release_jar="$root/mqtt-plugin/target/rocketmq-mqtt-plugin-$version.jar"
broker_lib="$root/integration-tests/target/broker-lib"
launcher="$root/integration-tests/target/classes"

if [[ ! -f "$release_jar" || ! -d "$broker_lib" || ! -d "$launcher" || -n "${REBUILD:-}" ]]; then
  echo "building the plugin and resolving the broker's jars (first run only) ..."
  mvn -q -B package -DskipTests
fi

exec java -cp "$launcher" net.lightqueue.it.Quickstart \
  --broker-lib "$broker_lib" --release-jar "$release_jar" "$@"
