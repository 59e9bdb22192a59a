package dev.pgoutput.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.EmbeddedPostgres;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of a real reader in a SimpleMeterRegistry: names, tags, and values that follow the reader. */
class ReaderMetricsBinderIT {

    @Test
    void metersFollowTheReader() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(17).start()) {
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY)");
                s.execute("CREATE PUBLICATION m_pub FOR TABLE t");
                s.execute("SELECT pg_create_logical_replication_slot('m_slot', 'pgoutput')");
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                    .host(server.host()).port(server.port()).database(server.database())
                    .user(server.user()).password(server.password()).publication("m_pub").slot("m_slot").build()) {
                ReaderMetricsBinder.of(reader, "m_slot", "m_pub").bindTo(registry);
                assertEquals(11, registry.getMeters().size());
                for (Meter m : registry.getMeters()) {
                    assertEquals("m_slot", m.getId().getTag("slot"), m.getId().toString());
                    assertEquals("m_pub", m.getId().getTag("publication"), m.getId().toString());
                }
                assertEquals(0.0, registry.get("pgoutput.events.delivered").functionCounter().count());
                assertTrue(Double.isNaN(registry.get("pgoutput.commit.delivery.lag").timeGauge().value()));
                try (Connection c = server.connect(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO t SELECT g FROM generate_series(1, 7) g");
                }
                int taken = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (taken < 7 && System.nanoTime() < deadline) {
                    taken += reader.poll(Duration.ofMillis(200)) != null ? 1 : 0;
                }
                assertEquals(7.0, registry.get("pgoutput.events.delivered").functionCounter().count());
                assertTrue(registry.get("pgoutput.bytes.delivered").functionCounter().count() > 0);
                assertTrue(registry.get("pgoutput.commit.delivery.lag").timeGauge().value(TimeUnit.MILLISECONDS) >= 0);
                assertEquals(0.0, registry.get("pgoutput.reconnects").functionCounter().count());
                assertTrue(Double.isNaN(registry.get("pgoutput.snapshot.rows").gauge().value()), "no snapshot runs");
            }
        }
    }
}
