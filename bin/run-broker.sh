#!/usr/bin/env bash
# Runs a RocketMQ name server and broker with the MQTT plugin, from this checkout:
# name server 9876, broker 10911, MQTT 1883, data in ./data. Ctrl-C stops both cleanly.
#   bin/run-broker.sh [--data DIR] [--brokers N | --replicas N] [--mqtt-port P] [--namesrv-port P] [--broker-port P] [key=value ...]
# key=value arguments are added to broker.conf (e.g. mqttAllowAnonymous=false, mqttTlsPort=8883, mqttWsPort=8083,
# mqttProxyProtocol=true; see the README section "Listeners").
#
# --brokers N (default 1) runs N broker groups of one cluster (DefaultCluster) at the one name server:
# broker-a, broker-b, ... with remoting ports 10911, 10921, 10931 ... (each also uses its port - 2 and
# port + 1) and MQTT on 1883, 1884, 1885 ...; --broker-port and --mqtt-port set broker-a's. Every other
# port given as key=value is broker-a's and moves up by 10 per group (mqttTlsPort=8883: 8883, 8893 ...).
# One group keeps its data in DIR itself, as always; several keep theirs in DIR/broker-a, DIR/broker-b ...
# (the name server's logs are broker-a's). Ctrl-C stops every broker, then the name server.
# See the README section "Running a cluster".
#
# --replicas N (2 to 9, instead of --brokers) runs one group, broker-a, as N replicas in RocketMQ controller
# mode: the name server embeds the controller (on the name server's port + 2), the replicas use the ports
# groups would (10911 with MQTT 1883, 10921 with MQTT 1884 ...) and keep their data in DIR/replica-1,
# DIR/replica-2 ...; only the master serves MQTT. See the README section "Failover (controller mode)".
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

# Every MQTT connection is a file descriptor: take the hard limit, not a soft one of 1,024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -cp "$launcher" net.lightqueue.it.Quickstart \
  --broker-lib "$broker_lib" --release-jar "$release_jar" "$@"
