package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker's {@code PUT /connector-plugins/.../config/validate} with our connector: unsupported properties and
 * values are reported by name (also our own {@code pgoutput.transaction.max.records} out of range), harmless
 * Debezium no-ops are accepted, and the live setup is checked (a missing publication comes with the SQL that
 * creates it).
 */
class ConnectorValidationIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    private static Map<String, List<String>> errors(Map<String, String> config) {
        config.put("name", "validate-" + config.get("topic.prefix"));
        ConfigInfos infos = CONNECT.cluster().validateConnectorConfig(PgOutputSourceConnector.class.getSimpleName(),
                config);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(infos.errorCount(), errors.values().stream().mapToInt(List::size).sum(), errors.toString());
        return errors;
    }

    @Test
    void aValidConfigurationWithDebeziumNoOpsPasses() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "valid")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY)");
            db.createPublication("public.items");
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, db.newSlot(), TestDatabase.unique("v"));
            config.put("plugin.name", "pgoutput");
            config.put("snapshot.mode", "no_data");
            config.put("publication.autocreate.mode", "disabled");
            config.put("max.batch.size", "4096");
            config.put("table.include.list", "public\\.item.*");
            config.put("provide.transaction.metadata", "true");
            config.put("heartbeat.interval.ms", "10000");
            config.put("heartbeat.action.query", "SELECT 1");
            config.put("message.prefix.include.list", "outbox.*");
            assertEquals(Map.of(), errors(config));
        }
    }

    @Test
    void unsupportedPropertiesAndValuesAreReportedByName() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "invalid")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY)");
            db.createPublication("public.items");
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, db.newSlot(), TestDatabase.unique("i"));
            config.put("plugin.name", "decoderbufs");
            config.put("snapshot.mode", "when_needed");
            config.put("publication.autocreate.mode", "filtered");
            config.put("skipped.operations", "x");
            config.put("signal.data.collection", "public.signals");
            // Debezium refuses both message prefix lists at once, like both table lists.
            config.put("message.prefix.include.list", "a.*");
            config.put("message.prefix.exclude.list", "b.*");
            Map<String, List<String>> errors = errors(config);
            assertEquals(List.of("plugin.name", "snapshot.mode", "publication.autocreate.mode", "skipped.operations",
                    "signal.data.collection", "message.prefix.exclude.list").stream().sorted().toList(),
                    errors.keySet().stream().sorted().toList(),
                    errors.toString());
            assertTrue(errors.get("signal.data.collection").get(0).contains("not supported"), errors.toString());
        }
    }

    @Test
    void aBadTransactionCapIsReportedByName() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "cap")) {
            db.execute("CREATE TABLE items (id int PRIMARY KEY)");
            db.createPublication("public.items");
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, db.newSlot(), TestDatabase.unique("c"));
            for (String bad : List.of("0", "-5", "many")) {
                config.put(PgOutputConnectorConfig.TRANSACTION_MAX_RECORDS, bad);
                Map<String, List<String>> errors = errors(config);
                assertEquals(List.of(PgOutputConnectorConfig.TRANSACTION_MAX_RECORDS), List.copyOf(errors.keySet()),
                        bad + ": " + errors);
            }
            config.put(PgOutputConnectorConfig.TRANSACTION_MAX_RECORDS, "1");
            assertEquals(Map.of(), errors(config), "1 is the smallest cap");
        }
    }

    @Test
    void aMissingPublicationComesWithTheSqlThatCreatesIt() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "nopub")) {
            Map<String, String> config = PgOutputConnectorIT.ourConfig(db, db.newSlot(), TestDatabase.unique("n"));
            Map<String, List<String>> errors = errors(config);
            assertEquals(List.of("publication.name"), List.copyOf(errors.keySet()), errors.toString());
            assertTrue(errors.get("publication.name").get(0).contains("CREATE PUBLICATION " + db.publication),
                    errors.toString());
            config.put("database.dbname", db.name + "_missing");
            assertTrue(errors(config).containsKey("database.hostname"), "a failed connection is reported");
        }
    }
}
