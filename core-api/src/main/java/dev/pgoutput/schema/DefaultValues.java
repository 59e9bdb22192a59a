package dev.pgoutput.schema;

import dev.pgoutput.types.PgType;
import dev.pgoutput.types.ValueDecoder;
import dev.pgoutput.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A column's schema default from its default expression ({@code pg_get_expr} of {@code pg_attrdef}), as Debezium
 * derives it: a constant ({@code 42}, {@code 1.5}, {@code true}, {@code 'hello'::text}, {@code '2020-02-02'::date},
 * {@code '9000000000'::bigint}, {@code (-1)}) is read as a value of the column's type and converted like a value;
 * a function call ({@code nextval(...)}, {@code now()}) or a {@code bytea} constant gives no default (Debezium
 * 3.6.1 wrote none for {@code DEFAULT '\x0102'}).
 */
final class DefaultValues {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultValues.class);

    /** A quoted literal with optional casts: {@code 'it''s'::text}, {@code 'x'::character varying}. */
    private static final Pattern QUOTED = Pattern.compile("^'((?:[^']|'')*)'(?:::[\\w .\"\\[\\]()]+)*$");
    /** A bare constant with optional casts: {@code 42}, {@code -1.5}, {@code true}, {@code 3::numeric}. */
    private static final Pattern BARE = Pattern.compile("^(-?[0-9][0-9.eE+-]*|true|false)(?:::[\\w .\"\\[\\]()]+)*$");

    private DefaultValues() {
    }

    /** The default in the representation of {@link ColumnMapping#convert}, or {@code null} for none. */
    static Object parse(ColumnDefinition column, DebeziumSchema schema, Function<Object, Object> converter) {
        String expression = column.defaultExpression();
        boolean bytea = column.valueType().kind() == ValueType.Kind.SCALAR
                && column.valueType().scalarOid() == PgType.BYTEA;
        if (expression == null || bytea) {
            return null;
        }
        String literal = literal(expression.trim());
        if (literal == null) {
            literal = functionDefault(expression.trim(), schema);
        }
        if (literal == null) {
            return null;
        }
        try {
            byte[] text = literal.getBytes(StandardCharsets.UTF_8);
            Object value = ValueDecoder.fromText(column.valueType(), text, 0, text.length);
            return value == null ? null : converter.apply(value);
        } catch (RuntimeException e) {
            LOG.debug("No schema default for column {}: cannot read {} as its type ({})", column.name(), expression,
                    e.toString());
            return null;
        }
    }

    /** The SQL functions giving the current time, whose default Debezium writes as the epoch. */
    private static final Pattern NOW = Pattern.compile(
            "(?i)^(now\\(\\)|current_timestamp|current_date|current_time|localtimestamp|localtime"
                    + "|statement_timestamp\\(\\)|transaction_timestamp\\(\\)|clock_timestamp\\(\\))"
                    + "(?:\\(\\d+\\))?(?:::[\\w .\"]+)*$");

    /**
     * The default Debezium derives from a function: a sequence ({@code nextval(...)}, serial columns) gives 0, as
     * seen for an int column; a current-time function gives the epoch, as seen for {@code now()} on timestamptz.
     * Other functions give none.
     */
    private static String functionDefault(String expression, DebeziumSchema schema) {
        if (expression.startsWith("nextval(")) {
            return switch (schema.type()) {
                case INT16, INT32, INT64 -> "0";
                default -> null;
            };
        }
        if (!NOW.matcher(expression).matches()) {
            return null;
        }
        String name = schema.name() == null ? "" : schema.name();
        if (name.endsWith("ZonedTimestamp")) {
            return "1970-01-01 00:00:00+00";
        }
        if (name.endsWith("ZonedTime")) {
            return "00:00:00+00";
        }
        if (name.endsWith("Timestamp")) {
            return "1970-01-01 00:00:00";
        }
        if (name.endsWith("Date")) {
            return "1970-01-01";
        }
        return name.endsWith("Time") ? "00:00:00" : null;
    }

    private static String literal(String expression) {
        String e = expression;
        while (e.startsWith("(") && e.endsWith(")")) {
            e = e.substring(1, e.length() - 1).trim();
        }
        Matcher q = QUOTED.matcher(e);
        if (q.matches()) {
            return q.group(1).replace("''", "'");
        }
        Matcher b = BARE.matcher(e);
        return b.matches() ? b.group(1) : null;
    }
}
