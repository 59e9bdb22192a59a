package dev.pgoutput.schema;

import dev.pgoutput.types.ValueDecoder;
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
        if (expression == null || schema.type() == DebeziumSchema.Type.BYTES && schema.name() == null) {
            return null;
        }
        String literal = literal(expression.trim());
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
