package net.lightqueue.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Set;

/** One run's settings, as given on the command line. Times are in nanoseconds. */
record BenchOptions(
        ScenarioName scenario,
        String host,
        int port,
        String subscriberHost,
        int subscriberPort,
        Transport transport,
        String caFile,
        String wsPath,
        ProtocolVersion protocol,
        int publishers,
        int subscribers,
        int clients,
        int topics,
        FilterKind filter,
        FirstLevel firstLevel,
        MqttQoS publishQos,
        MqttQoS subscribeQos,
        double rate,
        int inflight,
        long count,
        int payloadBytes,
        long warmupNanos,
        long durationNanos,
        long drainNanos,
        long holdNanos,
        int rampPerSecond,
        int sourceAddresses,
        int threads,
        int keepAliveSeconds,
        long connectTimeoutNanos,
        long brokerPid,
        int stormSize,
        String topicPrefix,
        String label) {

    static final String USAGE = """
            Usage: mqtt-bench [--name value]...
              --scenario S         pubsub | fanout | fanin | p2p | conns | persistent   (pubsub)
                                   | storm-connect | storm-takeover | storm-wills | storm-subscribe:
                                   a storm while a bystander publisher and subscriber exchange
                                   messages at --rate (100) and --qos; the calm --warmup is compared
                                   with the storm
              --host H --port N    broker address; loopback only                      (127.0.0.1 1883)
              --subscriber-host H --subscriber-port N
                                   subscribers connect here, publishers to --host/--port: another
                                   broker of a cluster, for cross-broker delivery; pubsub, fanout,
                                   fanin, persistent                                  (--host --port)
              --transport T        tcp | tls | ws | wss; give the port that serves it  (tcp)
              --cafile F           tls, wss: trust the PEM certificates in F (the broker's own
                                   when self-signed); the host name is not checked
              --ws-path P          ws, wss: the WebSocket path                        (/mqtt)
              --mqtt V             3.1.1 | 5                                          (3.1.1)
              --publishers P       pubsub, fanin, persistent                          (1)
              --subscribers S      pubsub, fanout, persistent                         (1)
              --clients C          p2p, conns; storm-subscribe: connections flooding  (100)
              --storm N            storm-connect: connections opened at --ramp; storm-takeover:
                                   takeovers of one client id; storm-wills: clients with a will
                                   that all drop at once; storm-subscribe: SUBSCRIBE/UNSUBSCRIBE
                                   pairs over --clients connections                   (1000)
              --topics T           pubsub, persistent: publisher i uses topic i mod T (1)
              --filter F           exact | wildcard (one '+' filter over all topics)  (exact)
              --first-level L      shared: topics <prefix>/<run>/<n>; own: <prefix><n>/<run>,
                                   each topic its own first level (RocketMQ topic), as
                                   devices publishing to <device>/telemetry      (shared)
              --qos Q              0 | 1 | 2, both ways; or --pub-qos Q --sub-qos Q   (1)
              --rate R             publishes/s over all publishers, or 'max'          (max; storms: 100)
              --inflight W         unacknowledged QoS 1/2 publishes per publisher     (32)
              --count N            stop each publisher after N messages, 0 = no limit (0)
              --payload B          payload bytes, at least 20                         (64)
              --warmup S           seconds before measuring; conns: of connections opened at
                                   --ramp (at most --clients) and closed again; 0 to
                                   measure memory (a process keeps what they took)    (5)
              --duration S         seconds measured                                   (20)
              --drain S            seconds to wait for the last messages (and wills)  (10)
              --hold S             conns: seconds to hold the idle connections        (10)
              --ramp R             new connections per second                         (2000)
              --source-addresses N spread connections over 127.0.0.1..N (0 = enough) (0)
              --threads N          event-loop threads                                 (2)
              --keep-alive S       MQTT keep-alive seconds                            (60)
              --connect-timeout S  per connection and subscription                    (10)
              --broker-pid PID     sample this process: CPU, RSS, heap after GC (JVM)
              --topic-prefix P     first topic level                                  (bench)
              --label L            free text copied into the result line
            Exit: 0 ok; 1 the broker broke a guarantee the run asked for (QoS 1/2 loss or
                  reordering, QoS 2 duplicates, unacknowledged publishes, misrouted messages,
                  dropped connections, wills missing or duplicated, takeovers that leave the older
                  connection open or, under MQTT 5, end it without DISCONNECT 0x8E, refused or
                  unanswered SUBSCRIBE/UNSUBSCRIBE); 2 usage error; 3 setup failure or time bound
                  exceeded.
            """;

    private static final Set<String> NAMES = Set.of("scenario", "host", "port", "subscriber-host", "subscriber-port",
            "transport", "cafile", "ws-path", "mqtt", "publishers", "subscribers", "clients", "topics", "filter",
            "first-level", "qos",
            "pub-qos", "sub-qos", "rate", "inflight",
            "count", "payload", "warmup", "duration", "drain", "hold", "ramp", "source-addresses", "threads",
            "keep-alive", "connect-timeout", "broker-pid", "storm", "topic-prefix", "label");

    static BenchOptions parse(String... args) {
        CommandLine cl = new CommandLine(args, NAMES);
        MqttQoS both = qos(cl, "qos", MqttQoS.AT_LEAST_ONCE);
        ScenarioName scenario = cl.choice("scenario", ScenarioName.PUBSUB, ScenarioName.class);
        String host = cl.text("host", "127.0.0.1");
        int port = cl.integer("port", 1883, 1);
        BenchOptions options = new BenchOptions(
                scenario,
                host,
                port,
                cl.text("subscriber-host", host),
                cl.integer("subscriber-port", port, 1),
                cl.choice("transport", Transport.TCP, Transport.class),
                cl.text("cafile", ""),
                cl.text("ws-path", "/mqtt"),
                cl.choice("mqtt", ProtocolVersion.V3_1_1, ProtocolVersion.class),
                cl.integer("publishers", 1, 1),
                cl.integer("subscribers", 1, 1),
                cl.integer("clients", 100, 1),
                cl.integer("topics", 1, 1),
                cl.choice("filter", FilterKind.EXACT, FilterKind.class),
                cl.choice("first-level", FirstLevel.SHARED, FirstLevel.class),
                qos(cl, "pub-qos", both),
                qos(cl, "sub-qos", both),
                rate(cl.text("rate", scenario.storm() ? "100" : "max")),
                cl.integer("inflight", 32, 1),
                cl.number("count", 0, 0),
                cl.integer("payload", 64, Payload.HEADER_BYTES),
                cl.seconds("warmup", 5),
                cl.seconds("duration", 20),
                cl.seconds("drain", 10),
                cl.seconds("hold", 10),
                cl.integer("ramp", 2000, 1),
                cl.integer("source-addresses", 0, 0),
                cl.integer("threads", 2, 1),
                cl.integer("keep-alive", 60, 0),
                cl.seconds("connect-timeout", 10),
                cl.number("broker-pid", 0, 0),
                cl.integer("storm", 1000, 1),
                cl.text("topic-prefix", "bench"),
                cl.text("label", ""));
        options.validate();
        return options;
    }

    private void validate() {
        if (port > 65535 || subscriberPort > 65535) {
            throw new UsageException("--port and --subscriber-port must be at most 65535");
        }
        if (transport.secure() == caFile.isEmpty()) {
            throw new UsageException(transport.secure() ? "--transport " + transport + " needs --cafile"
                    : "--cafile is for --transport tls or wss, not " + transport);
        }
        if (!wsPath.startsWith("/")) {
            throw new UsageException("--ws-path must start with /");
        }
        if (crossBroker() && (scenario == ScenarioName.P2P || scenario == ScenarioName.CONNS || scenario.storm())) {
            throw new UsageException("--subscriber-host/--subscriber-port need a scenario with separate publishers "
                    + "and subscribers (pubsub, fanout, fanin, persistent), not " + scenario);
        }
        if (topicPrefix.isEmpty() || TopicFilter.isWildcard(topicPrefix) || topicPrefix.contains("/")) {
            throw new UsageException("--topic-prefix must be one topic level without wildcards");
        }
        if (scenario == ScenarioName.PERSISTENT && (publishQos == MqttQoS.AT_MOST_ONCE || subscribeQos == MqttQoS.AT_MOST_ONCE)) {
            throw new UsageException("persistent needs QoS 1 or 2 both ways: brokers need not queue QoS 0 for offline sessions");
        }
        if (scenario == ScenarioName.PERSISTENT && count == 0 && rate == 0) {
            throw new UsageException("persistent needs --count or --rate: a max-rate backlog grows without bound");
        }
    }

    private static MqttQoS qos(CommandLine cl, String name, MqttQoS fallback) {
        int level = cl.integer(name, fallback.value(), 0);
        if (level > 2) {
            throw new UsageException("--" + name + " must be 0, 1 or 2");
        }
        return MqttQoS.valueOf(level);
    }

    /** Publishes per second over all publishers; 0 means as fast as the in-flight window allows. */
    private static double rate(String raw) {
        if (raw.equalsIgnoreCase("max")) {
            return 0;
        }
        try {
            double value = Double.parseDouble(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--rate expects a positive number or 'max', got '" + raw + "'");
    }

    /** Connections a storm scenario opens besides its bystander publisher and subscriber. */
    int stormConnections() {
        return switch (scenario) {
            case STORM_CONNECT -> stormSize;
            case STORM_WILLS -> stormSize + 1;
            case STORM_TAKEOVER -> 2;
            case STORM_SUBSCRIBE -> clients;
            default -> 0;
        };
    }

    /** Subscribers connect to another broker than publishers. */
    boolean crossBroker() {
        return !(subscriberHost.equals(host) && subscriberPort == port);
    }

    boolean maxRate() {
        return rate == 0;
    }

    /** Loss is a failure when both legs promised at-least-once delivery. */
    boolean lossForbidden() {
        return publishQos != MqttQoS.AT_MOST_ONCE && subscribeQos != MqttQoS.AT_MOST_ONCE;
    }

    boolean duplicatesForbidden() {
        return publishQos == MqttQoS.EXACTLY_ONCE && subscribeQos == MqttQoS.EXACTLY_ONCE;
    }
}
