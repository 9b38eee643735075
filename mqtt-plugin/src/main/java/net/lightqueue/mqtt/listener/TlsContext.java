package net.lightqueue.mqtt.listener;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import net.lightqueue.mqtt.MqttSettings;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * The server's TLS context, built from the mqttTls* PEM files and rebuilt when one of them
 * changes, so renewed certificates apply to new connections without a restart. A set of files
 * that does not load (say the certificate was replaced but not yet its key) keeps the previous
 * context and is retried at the next check.
 */
public final class TlsContext {

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.listener");
    static final long CHECK_INTERVAL_SECONDS = 2;

    private final MqttSettings settings;
    private volatile SslContext current;
    private List<Long> loadedStamps;
    private List<Long> failedStamps;
    private ScheduledFuture<?> checks;

    /** @throws SSLException when the files do not make a TLS context: the listener cannot start */
    public TlsContext(MqttSettings settings) throws SSLException {
        this.settings = settings;
        this.loadedStamps = stamps();
        this.current = build();
    }

    public SslContext current() {
        return current;
    }

    /** Checks the files for changes every few seconds on {@code executor} until {@link #stop()}. */
    public void watch(ScheduledExecutorService executor) {
        checks = executor.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_INTERVAL_SECONDS,
            CHECK_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    public void stop() {
        if (checks != null) {
            checks.cancel(false);
        }
    }

    private void reloadIfChanged() {
        List<Long> stamps;
        try {
            stamps = stamps();
        } catch (UncheckedIOException unreadable) {
            return; // being replaced right now; the next check sees the new files
        }
        if (stamps.equals(loadedStamps) || stamps.equals(failedStamps)) {
            return;
        }
        try {
            current = build();
            loadedStamps = stamps;
            failedStamps = null;
            LOG.info("MQTT TLS certificate reloaded from {}", settings.tlsCertFile());
        } catch (SSLException | RuntimeException invalid) {
            failedStamps = stamps; // one line per change, not one per check
            LOG.warn("MQTT TLS files changed but do not load, new connections keep the previous certificate: {}",
                String.valueOf(invalid));
        }
    }

    private SslContext build() throws SSLException {
        SslContextBuilder builder = SslContextBuilder
            .forServer(settings.tlsCertFile().toFile(), settings.tlsKeyFile().toFile(), settings.tlsKeyPassword())
            .protocols("TLSv1.3", "TLSv1.2")
            .clientAuth(settings.tlsClientAuth().netty());
        Path trusted = settings.tlsTrustCertFile();
        if (trusted != null) {
            builder.trustManager(trusted.toFile());
        }
        return builder.build();
    }

    private List<Long> stamps() {
        List<Long> stamps = new ArrayList<>();
        for (Path file : files()) {
            try {
                stamps.add(Files.getLastModifiedTime(file).toMillis());
                stamps.add(Files.size(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stamps;
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>(List.of(settings.tlsCertFile(), settings.tlsKeyFile()));
        if (settings.tlsTrustCertFile() != null) {
            files.add(settings.tlsTrustCertFile());
        }
        return files;
    }
}
