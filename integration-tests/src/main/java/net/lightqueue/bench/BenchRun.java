package net.lightqueue.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One run of one scenario against one broker (or two of a cluster: publishers on one,
 * subscribers on the other), start to finish; returns its figures.
 */
final class BenchRun {
    /** Sockets the runner needs besides its connections (jars, epoll, jcmd pipes). */
    private static final long SPARE_FILE_DESCRIPTORS = 200;

    private BenchRun() {
    }

    static Result execute(BenchOptions options, PrintStream log) throws InterruptedException {
        Targets targets = Targets.of(options);
        String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        ClientPlan plan = ClientPlan.of(options, runId);
        int connections = plan.clients().size() + options.stormConnections();
        requireFileDescriptors(connections);
        BrokerSampler broker = BrokerSampler.of(options.brokerPid());

        Result result = describe(options, runId, plan);
        RunMeters meters = new RunMeters();
        int sources = options.sourceAddresses() > 0 ? options.sourceAddresses() : LoopbackAddresses.sourcesFor(connections);
        Fleet fleet;
        TransportLayers transport = TransportLayers.of(options, Connector.MAX_PACKET_BYTES);
        try (Connector connector = new Connector(targets, transport, options.threads(), sources,
                options.keepAliveSeconds(), options.connectTimeoutNanos())) {
            fleet = new Fleet(options, plan, meters, new ConnectionRamp(connector, options.rampPerSecond(),
                    options.connectTimeoutNanos()), log);
            log.printf("run %s: %s against %s, %d clients%n", runId, options.scenario(), targets, connections);
            Scenario.of(options, plan).run(fleet, broker, result);
        }
        // The event loops have terminated: every counter they wrote is now visible here.
        fleet.tally(result);
        return result;
    }

    private static Result describe(BenchOptions o, String runId, ClientPlan plan) {
        Result result = new Result()
                .put("scenario", o.scenario())
                .put("label", o.label())
                .put("run", runId)
                .put("target", o.host() + ":" + o.port())
                .put("transport", o.transport())
                .put("mqtt", o.protocol())
                .put("clients", plan.clients().size())
                .put("publishers", plan.publisherCount())
                .put("subscribers", plan.subscribers().size())
                .put("pub_qos", o.publishQos().value())
                .put("sub_qos", o.subscribeQos().value())
                .put("payload_bytes", o.payloadBytes())
                .put("rate", o.maxRate() ? "max" : o.rate())
                .put("inflight", o.inflight())
                .put("count", o.count());
        if (o.scenario().storm()) {
            result.put("storm", o.stormSize());
        }
        if (o.crossBroker()) {
            result.put("subscriber_target", o.subscriberHost() + ":" + o.subscriberPort());
        }
        if (o.brokerPid() != 0) {
            result.put("broker_pid", o.brokerPid());
        }
        return result;
    }

    private static void requireFileDescriptors(int connections) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            if (connections + SPARE_FILE_DESCRIPTORS > limit) {
                throw new SetupException(connections + " connections need about " + (connections + SPARE_FILE_DESCRIPTORS)
                        + " file descriptors but the limit is " + limit + ": raise it with 'ulimit -n'");
            }
        }
    }
}
