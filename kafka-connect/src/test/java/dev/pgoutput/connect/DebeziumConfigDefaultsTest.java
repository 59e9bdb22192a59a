package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.config.Field;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * Every property our connector defines exists in Debezium's PostgreSQL connector (the version the tests use) with
 * the same type and default, so that a configuration keeps its meaning when {@code connector.class} changes. A
 * property added to {@link PgOutputConnectorConfig} is checked here without further ado. Our own properties
 * ({@value #OWN_PREFIX}…, such as {@code pgoutput.transaction.max.records}) are the exception, and must not be
 * Debezium's.
 */
class DebeziumConfigDefaultsTest {

    /** The prefix of the properties that are ours alone. */
    static final String OWN_PREFIX = "pgoutput.";

    @Test
    void everyPropertyHasDebeziumsTypeAndDefault() {
        Map<String, Field> debezium = new HashMap<>();
        for (Field f : PostgresConnectorConfig.ALL_FIELDS) {
            debezium.put(f.name(), f);
        }
        Map<String, ConfigDef.ConfigKey> ours = PgOutputConnectorConfig.CONFIG_DEF.configKeys();
        assertTrue(ours.size() >= 8, "the connection, topic, slot and publication properties at least: " + ours.keySet());
        int own = 0;
        for (ConfigDef.ConfigKey key : ours.values()) {
            Field reference = debezium.get(key.name);
            if (key.name.startsWith(OWN_PREFIX)) {
                own++;
                assertEquals(null, reference, key.name + " is ours, but Debezium has it too");
                continue;
            }
            assertNotNull(reference, key.name + " is not a property of Debezium's PostgreSQL connector");
            assertEquals(reference.type(), key.type, "type of " + key.name);
            assertEquals(reference.defaultValueAsString(), defaultAsString(key), "default of " + key.name);
        }
        assertTrue(own >= 1, "pgoutput.transaction.max.records at least");
        assertTrue(debezium.keySet().stream().noneMatch(name -> name.startsWith(OWN_PREFIX)),
                "Debezium uses no property under our prefix " + OWN_PREFIX);
    }

    @Test
    void requiredPropertiesAreTheOnesDebeziumCannotDoWithout() {
        assertEquals(java.util.Set.of("database.hostname", "database.user", "database.dbname", "topic.prefix"),
                PgOutputConnectorConfig.CONFIG_DEF.configKeys().values().stream()
                        .filter(k -> k.defaultValue == ConfigDef.NO_DEFAULT_VALUE).map(k -> k.name)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    /** Our default as Debezium writes its own: {@code null} when there is none. */
    private static String defaultAsString(ConfigDef.ConfigKey key) {
        Object value = key.defaultValue;
        return value == null || value == ConfigDef.NO_DEFAULT_VALUE ? null : ConfigDef.convertToString(value, key.type);
    }
}
