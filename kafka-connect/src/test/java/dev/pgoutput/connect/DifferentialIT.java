package dev.pgoutput.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgoutput.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debezium 3.6.1 and our connector in the same cluster, each on its own slot over the same WAL (different topic
 * prefixes), through {@link TypesWorkload}: every record's topic, key, value, both schemas and headers must be
 * equal, as the worker's JsonConverter wrote them, ignoring only what two runs of Debezium differ in (the
 * timestamps {@code ts_ms}/{@code ts_us}/{@code ts_ns} of envelope and source, {@code source.version}, the
 * prefix inside names, {@code runId}). The comparison per column lands in {@code target/differential-report-<run>.txt}.
 */
class DifferentialIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @RegisterExtension
    static final ConnectCluster CONNECT = new ConnectCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ourRecordsAreDebeziums() throws Exception {
        differential("defaults", Map.of(), List.of(), DebeziumCaptureIT.RECORDS);
    }

    /** Debezium's other handling modes, and truncations written ({@code skipped.operations=none}). */
    @Test
    void inOtherHandlingModes() throws Exception {
        differential("modes1", Map.of("decimal.handling.mode", "string", "time.precision.mode", "connect",
                "binary.handling.mode", "base64", "interval.handling.mode", "string", "hstore.handling.mode", "map",
                "skipped.operations", "none"), List.of("TRUNCATE comp"), DebeziumCaptureIT.RECORDS + 1);
    }

    /** More modes, without tombstones (six fewer records) and with another placeholder. */
    @Test
    void inMoreHandlingModesWithoutTombstones() throws Exception {
        differential("modes2", Map.of("decimal.handling.mode", "double",
                "time.precision.mode", "adaptive_time_microseconds", "binary.handling.mode", "hex",
                "tombstones.on.delete", "false", "unavailable.value.placeholder", "N/A"), List.of(),
                DebeziumCaptureIT.RECORDS - 6);
    }

    private void differential(String name, Map<String, String> properties, List<String> extraStatements,
                              int records) throws Exception {
        try (TestDatabase db = TestDatabase.create(PG.server(), "diff")) {
            TypesWorkload.createTables(db);
            db.createPublication(TypesWorkload.TABLES);
            String dbzPrefix = TestDatabase.unique("dbz");
            String ourPrefix = TestDatabase.unique("pgo");
            String dbzSlot = db.newSlot();
            String ourSlot = db.newSlot();
            Map<String, String> ours = db.connectorConfig(ourSlot, ourPrefix);
            ours.put("connector.class", PgOutputSourceConnector.class.getName());
            ours.putAll(properties);
            Map<String, String> theirs = DebeziumReferenceIT.debeziumConfig(db, dbzSlot, dbzPrefix);
            theirs.putAll(properties);
            CONNECT.startConnector("debezium-" + dbzPrefix, theirs);
            CONNECT.startConnector("pgoutput-" + ourPrefix, ours);
            try {
                db.awaitSlot(dbzSlot);
                db.awaitSlot(ourSlot);
                TypesWorkload.run(db);
                db.execute(extraStatements.toArray(String[]::new));
                List<CapturedRecord> a = CONNECT.consume(records, topics(dbzPrefix));
                List<CapturedRecord> b = CONNECT.consume(records, topics(ourPrefix));
                List<String> differences = new ArrayList<>();
                List<String> report = new ArrayList<>();
                report.add("properties: " + properties);
                compare(a, dbzPrefix, b, ourPrefix, differences, report);
                report.add("");
                report.add("DIFFERENCES (" + differences.size() + "):");
                report.addAll(differences);
                Files.write(Path.of("target", "differential-report-" + name + ".txt"), report, StandardCharsets.UTF_8);
                assertEquals(records, b.size(), "our record count");
                assertEquals(List.of(), differences,
                        "differences from Debezium (see target/differential-report-" + name + ".txt)");
            } finally {
                CONNECT.deleteConnector("pgoutput-" + ourPrefix);
                CONNECT.deleteConnector("debezium-" + dbzPrefix);
            }
        }
    }

    private static String[] topics(String prefix) {
        return Arrays.stream(TypesWorkload.TOPICS).map(t -> prefix + "." + t).toArray(String[]::new);
    }

    private static void compare(List<CapturedRecord> theirs, String dbzPrefix, List<CapturedRecord> mine,
                                String ourPrefix, List<String> differences, List<String> report) throws Exception {
        Map<String, List<CapturedRecord>> a = byTopic(theirs, dbzPrefix);
        Map<String, List<CapturedRecord>> b = byTopic(mine, ourPrefix);
        for (String topic : a.keySet()) {
            List<CapturedRecord> x = a.get(topic);
            List<CapturedRecord> y = b.getOrDefault(topic, List.of());
            if (x.size() != y.size()) {
                differences.add(topic + " record count: debezium=" + x.size() + " ours=" + y.size());
            }
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                String where = topic + "#" + i;
                JsonNode left = normalized(x.get(i), dbzPrefix);
                JsonNode right = normalized(y.get(i), ourPrefix);
                diff(where + " ", left, right, "", differences);
            }
        }
        // Per column of the many-types table: schema and every value, matched or not.
        List<CapturedRecord> x = a.get("public.types_pk");
        List<CapturedRecord> y = b.getOrDefault("public.types_pk", List.of());
        if (x.isEmpty() || y.isEmpty()) {
            return;
        }
        JsonNode afterSchema = field(normalized(x.get(0), dbzPrefix).at("/value/schema"), "after");
        report.add("column | Debezium schema | schema equal | values equal (all types_pk records)");
        for (JsonNode f : afterSchema.get("fields")) {
            String column = f.get("field").asText();
            JsonNode ourField = null;
            JsonNode ourAfter = field(normalized(y.get(0), ourPrefix).at("/value/schema"), "after");
            for (JsonNode g : ourAfter.get("fields")) {
                if (g.get("field").asText().equals(column)) {
                    ourField = g;
                }
            }
            boolean valuesEqual = true;
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                for (String part : List.of("before", "after")) {
                    JsonNode l = normalized(x.get(i), dbzPrefix).at("/value/payload/" + part + "/" + column);
                    JsonNode r = normalized(y.get(i), ourPrefix).at("/value/payload/" + part + "/" + column);
                    valuesEqual &= l.equals(r);
                }
            }
            String type = f.has("name") ? f.get("name").asText() : f.get("type").asText();
            report.add(column + " | " + type + " | " + f.equals(ourField) + " | " + valuesEqual);
        }
    }

    private static JsonNode field(JsonNode struct, String name) {
        for (JsonNode f : struct.get("fields")) {
            if (f.get("field").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name + " in " + struct);
    }

    private static Map<String, List<CapturedRecord>> byTopic(List<CapturedRecord> records, String prefix) {
        Map<String, List<CapturedRecord>> m = new TreeMap<>();
        for (CapturedRecord r : records) {
            m.computeIfAbsent(r.topic().substring(prefix.length() + 1), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** Key, value and headers as JSON, the prefix replaced and what two Debezium runs differ in removed. */
    static JsonNode normalized(CapturedRecord r, String prefix) throws Exception {
        ObjectNode n = JSON.createObjectNode();
        n.set("key", parse(r.raw().key(), prefix));
        JsonNode value = parse(r.raw().value(), prefix);
        if (value.isObject() && value.path("payload").isObject()) {
            ObjectNode payload = (ObjectNode) value.get("payload");
            payload.remove(List.of("ts_ms", "ts_us", "ts_ns"));
            if (payload.path("source").isObject()) {
                ((ObjectNode) payload.get("source")).remove(List.of("ts_ms", "ts_us", "ts_ns", "version"));
            }
        }
        sortMessageCollections(value);
        n.set("value", value);
        ObjectNode headers = JSON.createObjectNode();
        List<String> order = new ArrayList<>();
        for (Header h : r.raw().headers()) {
            order.add(h.key());
            if (!h.key().endsWith(".runId")) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8).replace(prefix, "PREFIX"));
            }
        }
        headers.put("(order)", String.join(",", order));
        n.set("headers", headers);
        return n;
    }

    private static JsonNode parse(byte[] bytes, String prefix) throws Exception {
        if (bytes == null) {
            return JSON.nullNode();
        }
        // Debezium names a logical decoding message's data collection by an object's identity hash.
        return JSON.readTree(new String(bytes, StandardCharsets.UTF_8).replace(prefix, "PREFIX")
                .replaceAll("LogicalDecodingMessageId@[0-9a-f]+", "LogicalDecodingMessageId@HASH"));
    }

    /**
     * A transaction END's {@code data_collections} is in hash order, which the identity-hashed message collections
     * make differ from run to run: sorted by name when they hold such a collection.
     */
    private static void sortMessageCollections(JsonNode value) {
        JsonNode collections = value.path("payload").path("data_collections");
        if (!collections.isArray() || !collections.toString().contains("LogicalDecodingMessageId@")) {
            return;
        }
        List<JsonNode> sorted = new ArrayList<>();
        collections.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparing((JsonNode c) -> c.path("data_collection").asText())
                .thenComparing(JsonNode::toString));
        ((com.fasterxml.jackson.databind.node.ArrayNode) collections).removeAll().addAll(sorted);
    }

    static void diff(String where, JsonNode left, JsonNode right, String path, List<String> out) {
        if (left.equals(right)) {
            return;
        }
        if (left.isObject() && right.isObject()) {
            List<String> names = new ArrayList<>();
            left.fieldNames().forEachRemaining(names::add);
            right.fieldNames().forEachRemaining(k -> {
                if (!names.contains(k)) {
                    names.add(k);
                }
            });
            List<String> leftOrder = new ArrayList<>();
            left.fieldNames().forEachRemaining(leftOrder::add);
            List<String> rightOrder = new ArrayList<>();
            right.fieldNames().forEachRemaining(rightOrder::add);
            for (String k : names) {
                diff(where, left.path(k), right.path(k), path.isEmpty() ? k : path + "." + k, out);
            }
            if (names.stream().allMatch(k -> left.path(k).equals(right.path(k))) && !leftOrder.equals(rightOrder)) {
                out.add(where + path + " field order: debezium=" + leftOrder + " ours=" + rightOrder);
            }
            return;
        }
        if (left.isArray() && right.isArray() && left.size() == right.size()) {
            Iterator<JsonNode> l = left.elements();
            Iterator<JsonNode> r = right.elements();
            int i = 0;
            while (l.hasNext()) {
                JsonNode ln = l.next();
                JsonNode rn = r.next();
                String label = ln.has("field") ? ln.get("field").asText() : Integer.toString(i);
                diff(where, ln, rn, path + "[" + label + "]", out);
                i++;
            }
            return;
        }
        out.add(where + path + ": debezium=" + left + " ours=" + right);
    }
}
