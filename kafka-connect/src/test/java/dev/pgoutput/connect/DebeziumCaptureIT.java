package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records what Debezium 3.6.1 writes for {@link TypesWorkload} into {@code target/debezium-capture.txt} (topic,
 * key, value and headers of each record, as the worker's JsonConverter wrote them): the source of the golden
 * expectations in {@code DebeziumSchemaGoldenTest}, taken from Debezium rather than from our code.
 */
class DebeziumCaptureIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    /** Records the workload makes: see {@link TypesWorkload#run}. */
    static final int RECORDS = 28;

    @Test
    void captureDebeziumOutput() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "dbz_cap")) {
            TypesWorkload.createTables(db);
            db.createPublication(TypesWorkload.TABLES);
            String prefix = TestDatabase.unique("cap");
            String connector = "debezium-" + prefix;
            String slot = db.newSlot();
            CONNECT.startConnector(connector, DebeziumReferenceIT.debeziumConfig(db, slot, prefix));
            try {
                db.awaitSlot(slot);
                TypesWorkload.run(db);
                String[] topics = Arrays.stream(TypesWorkload.TOPICS).map(t -> prefix + "." + t).toArray(String[]::new);
                List<CapturedRecord> records = CONNECT.consume(RECORDS, topics);
                List<String> lines = new ArrayList<>();
                for (CapturedRecord r : records) {
                    lines.add("TOPIC " + r.topic().substring(prefix.length()));
                    lines.add("KEY " + text(r.raw().key()));
                    lines.add("VALUE " + text(r.raw().value()));
                    for (Header h : r.raw().headers()) {
                        lines.add("HEADER " + h.key() + "=" + text(h.value()));
                    }
                }
                Files.write(Path.of("target", "debezium-capture.txt"), lines, StandardCharsets.UTF_8);
                assertEquals(RECORDS, records.size());
            } finally {
                CONNECT.deleteConnector(connector);
            }
        }
    }

    private static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }
}
