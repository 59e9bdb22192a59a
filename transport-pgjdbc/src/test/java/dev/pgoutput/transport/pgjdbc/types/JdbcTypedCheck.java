package dev.pgoutput.transport.pgjdbc.types;

import dev.pgoutput.api.Row;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An independent oracle for the types pgjdbc converts itself: the stream's value must equal what pgjdbc's
 * typed getters return for the same column (the text comparison of {@link TypeCoverageIT} uses this
 * library's own text conversion on both sides in text mode).
 */
final class JdbcTypedCheck {

    private static final List<String> COLUMNS = List.of("c_bool", "c_int2", "c_int4", "c_int8", "c_float8",
            "c_numeric", "c_text", "c_bytea", "c_uuid", "c_date", "c_timestamp", "c_timestamptz");

    private JdbcTypedCheck() {
    }

    /** Reads the typed values now (call right after the inserts). */
    static Map<Integer, Map<String, Object>> readNow(Connection c) throws SQLException {
        Map<Integer, Map<String, Object>> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, " + String.join(", ", COLUMNS) + " FROM all_types")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("c_bool", rs.getObject("c_bool"));
                row.put("c_int2", rs.getObject("c_int2") == null ? null : rs.getShort("c_int2"));
                row.put("c_int4", rs.getObject("c_int4"));
                row.put("c_int8", rs.getObject("c_int8"));
                row.put("c_float8", rs.getObject("c_float8"));
                BigDecimal numeric = null;
                String numericText = rs.getString("c_numeric");
                Object numericValue = null;
                if (numericText != null) {
                    numericValue = switch (numericText) {
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        case "-Infinity" -> Double.NEGATIVE_INFINITY;
                        default -> rs.getBigDecimal("c_numeric");
                    };
                }
                row.put("c_numeric", numericValue == null ? numeric : numericValue);
                row.put("c_text", rs.getString("c_text"));
                row.put("c_bytea", rs.getBytes("c_bytea"));
                row.put("c_uuid", rs.getObject("c_uuid", UUID.class));
                row.put("c_date", rs.getObject("c_date", LocalDate.class));
                row.put("c_timestamp", rs.getObject("c_timestamp", LocalDateTime.class));
                OffsetDateTime tz = rs.getObject("c_timestamptz", OffsetDateTime.class);
                row.put("c_timestamptz", tz == null || tz.equals(OffsetDateTime.MAX) || tz.equals(OffsetDateTime.MIN)
                        ? tz : tz.withOffsetSameInstant(ZoneOffset.UTC));
                out.put(rs.getInt("id"), row);
            }
        }
        return out;
    }

    static void check(Row row, Map<Integer, Map<String, Object>> expected, String context) {
        Map<String, Object> want = expected.get((Integer) row.get("id"));
        if (want == null) {
            return;
        }
        for (String column : COLUMNS) {
            Object w = want.get(column);
            Object a = row.get(column);
            if (w instanceof LocalDate d && (d.getYear() <= 0)) {
                continue; // pgjdbc's own BC handling is not what is under test here
            }
            if (w instanceof LocalDateTime d && (d.getYear() <= 0)) {
                continue;
            }
            if (w instanceof OffsetDateTime d && (d.getYear() <= 0)) {
                continue;
            }
            if (!TypeCoverageIT.sameMeaning(w, a)) {
                throw new AssertionError(context + ", id " + row.get("id") + ", column " + column + ": pgjdbc gave "
                        + TypeCoverageIT.show(w) + ", stream gave " + TypeCoverageIT.show(a));
            }
        }
    }
}
