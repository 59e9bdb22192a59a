package dev.pgoutput.connect;

import dev.pgoutput.testkit.PostgresExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker without exactly-once support killed with SIGKILL while records are in flight ({@link WorkerCrash}):
 * afterwards a new worker delivers every change (some twice: acknowledged by Kafka, their offsets not stored yet),
 * and the slot's {@code confirmed_flush_lsn} had covered only transactions whose records Kafka had.
 */
class WorkerCrashIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    /** A broker of its own (the test stops it); the workers are JVMs of their own. */
    @RegisterExtension
    static final ConnectCluster CONNECT = ConnectCluster.ownCluster("pgoutput-crash", Map.of());

    @Test
    void nothingIsLostAndTheSlotCoversOnlyWhatKafkaHad() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "crash")) {
            WorkerCrash crash = WorkerCrash.run(CONNECT, db, Map.of(), Map.of());
            crash.assertNothingLost();
            crash.assertSlotCoveredOnlyWhatKafkaHad();
        }
    }
}
