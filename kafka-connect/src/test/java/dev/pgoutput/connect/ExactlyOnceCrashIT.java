package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.testkit.PostgresExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash of {@link WorkerCrash} (SIGKILL) on workers with exactly-once support and
 * {@code transaction.boundary=connector}: the Kafka transaction open when the worker died is never committed, its
 * offsets with it, so the new
 * worker resumes right after the last committed record and a {@code read_committed} consumer gets every row
 * exactly once; the slot had covered only transactions Kafka had committed.
 */
class ExactlyOnceCrashIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    /** A broker of its own (the test stops it); the workers are JVMs of their own. */
    @RegisterExtension
    static final ConnectCluster CONNECT = ConnectCluster.ownCluster("pgoutput-eos-crash", Map.of());

    @Test
    void everyRowArrivesExactlyOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "eoscrash")) {
            WorkerCrash crash = WorkerCrash.run(CONNECT, db, Map.of("exactly.once.source.support", "enabled"),
                    Map.of("exactly.once.support", "required", "transaction.boundary", "connector"));
            crash.assertNothingLost();
            assertEquals(WorkerCrash.ROWS, crash.all().size(), "no row twice (the workload only inserts)");
            crash.assertSlotCoveredOnlyWhatKafkaHad();
        }
    }
}
