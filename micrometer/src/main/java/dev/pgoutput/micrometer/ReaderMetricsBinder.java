package dev.pgoutput.micrometer;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReaderMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a reader's {@link LogicalReplicationReader#metrics()} to a {@link MeterRegistry}. Every meter reads
 * the reader's current figures when the registry asks; nothing is counted twice or kept here.
 *
 * <pre>{@code
 * new ReaderMetricsBinder(reader, Tags.of("slot", "orders_slot", "publication", "orders_pub")).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code pgoutput.events.delivered}</td><td>counter</td><td>events handed to the application</td></tr>
 *   <tr><td>{@code pgoutput.bytes.delivered}</td><td>counter (bytes)</td><td>pgoutput bytes behind them</td></tr>
 *   <tr><td>{@code pgoutput.queue.events}</td><td>gauge</td><td>events waiting in the reader's buffer</td></tr>
 *   <tr><td>{@code pgoutput.queue.bytes}</td><td>gauge (bytes)</td><td>their message bytes</td></tr>
 *   <tr><td>{@code pgoutput.lag.bytes}</td><td>gauge (bytes)</td><td>server WAL end minus the position received</td></tr>
 *   <tr><td>{@code pgoutput.commit.delivery.lag}</td><td>time gauge</td><td>commit to hand-over, last event</td></tr>
 *   <tr><td>{@code pgoutput.last.message.age}</td><td>time gauge</td><td>since the server's last message</td></tr>
 *   <tr><td>{@code pgoutput.reconnects}</td><td>counter</td><td>reconnects after a lost connection</td></tr>
 *   <tr><td>{@code pgoutput.snapshot.rows}</td><td>gauge</td><td>rows the running snapshot read (NaN when none)</td></tr>
 *   <tr><td>{@code pgoutput.snapshot.rows.estimated}</td><td>gauge</td><td>its estimate from reltuples</td></tr>
 *   <tr><td>{@code pgoutput.snapshot.retained.wal}</td><td>gauge (bytes)</td><td>WAL the slot holds back meanwhile</td></tr>
 * </table>
 *
 * <p>Time gauges are NaN before the first event or message. The tags given (for example {@code slot} and
 * {@code publication}) are on every meter.
 */
public final class ReaderMetricsBinder implements MeterBinder {

    private final LogicalReplicationReader reader;
    private final Tags tags;

    /**
     * @param reader the reader to watch
     * @param tags   tags for every meter, such as {@code slot} and {@code publication}
     */
    public ReaderMetricsBinder(LogicalReplicationReader reader, Iterable<Tag> tags) {
        this.reader = reader;
        this.tags = Tags.of(tags);
    }

    /** A binder tagging every meter with the reader's {@code slot} and {@code publication}. */
    public static ReaderMetricsBinder of(LogicalReplicationReader reader, String slot, String publication) {
        return new ReaderMetricsBinder(reader, Tags.of("slot", slot, "publication", publication));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "pgoutput.events.delivered", "events handed to the application", null,
                ReaderMetrics::eventsDelivered);
        counter(registry, "pgoutput.bytes.delivered", "pgoutput bytes behind the events handed over", "bytes",
                ReaderMetrics::bytesDelivered);
        counter(registry, "pgoutput.reconnects", "reconnects after a lost connection", null,
                ReaderMetrics::reconnects);
        gauge(registry, "pgoutput.queue.events", "events waiting in the reader's buffer", null,
                ReaderMetrics::queueEvents);
        gauge(registry, "pgoutput.queue.bytes", "message bytes of the events waiting in the buffer", "bytes",
                ReaderMetrics::queueBytes);
        gauge(registry, "pgoutput.lag.bytes", "the server's WAL end minus the position received", "bytes",
                ReaderMetrics::lagBytes);
        time(registry, "pgoutput.commit.delivery.lag", "how long after its commit the last event was handed over",
                ReaderMetrics::commitToDelivery);
        time(registry, "pgoutput.last.message.age", "how long ago the server's last message came",
                ReaderMetrics::sinceLastMessage);
        gauge(registry, "pgoutput.snapshot.rows", "rows the running snapshot read", null,
                m -> m.snapshot() == null ? Double.NaN : m.snapshot().rowsDone());
        gauge(registry, "pgoutput.snapshot.rows.estimated", "the running snapshot's row estimate", null,
                m -> m.snapshot() == null ? Double.NaN : m.snapshot().rowsEstimated());
        gauge(registry, "pgoutput.snapshot.retained.wal", "WAL the slot holds back while a snapshot runs", "bytes",
                m -> m.snapshot() == null || m.snapshot().retainedWalBytes() < 0 ? Double.NaN
                        : m.snapshot().retainedWalBytes());
    }

    private void counter(MeterRegistry registry, String name, String description, String unit,
                         ToDoubleFunction<ReaderMetrics> value) {
        FunctionCounter.builder(name, reader, r -> value.applyAsDouble(r.metrics()))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<ReaderMetrics> value) {
        Gauge.builder(name, reader, r -> value.applyAsDouble(r.metrics()))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private void time(MeterRegistry registry, String name, String description,
                      java.util.function.Function<ReaderMetrics, Duration> value) {
        TimeGauge.builder(name, reader, TimeUnit.MILLISECONDS, r -> {
            Duration d = value.apply(r.metrics());
            return d == null ? Double.NaN : d.toNanos() / 1e6;
        }).description(description).tags(tags).register(registry);
    }
}
