package dev.pgoutput.json;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How values are written, with Debezium's option names and values where Debezium has them.
 *
 * <pre>{@code
 * JsonOptions o = JsonOptions.DEFAULTS.withDecimalHandling(JsonOptions.DecimalHandling.STRING);
 * DebeziumJson.write(event, out, 0, o);
 * // or through the provider: create(Map.of("decimal.handling.mode", "string", "binary.handling.mode", "hex"))
 * }</pre>
 *
 * @param decimalHandling  {@code decimal.handling.mode}: numeric as an exact JSON number (precise, default),
 *                         a string, or a double
 * @param binaryHandling   {@code binary.handling.mode}: bytea as base64 (default; {@code bytes} is accepted as
 *                         Debezium's name for it) or hex
 * @param intervalHandling {@code interval.handling.mode}: ISO-8601 string (default, lossless) or numeric
 *                         (approximate microseconds, a month as 30.4375 days, as Debezium)
 * @param timePrecision    {@code time.precision.mode}: ISO-8601 strings (default) or
 *                         {@code adaptive_time_microseconds}-like numbers (date: days since the epoch, time:
 *                         microseconds of the day, timestamp: microseconds since the epoch; timestamptz stays an
 *                         ISO string as in Debezium)
 */
public record JsonOptions(DecimalHandling decimalHandling, BinaryHandling binaryHandling,
                          IntervalHandling intervalHandling, TimePrecision timePrecision) {

    /** {@code decimal.handling.mode}. */
    public static final String DECIMAL_HANDLING_MODE = "decimal.handling.mode";
    /** {@code binary.handling.mode}. */
    public static final String BINARY_HANDLING_MODE = "binary.handling.mode";
    /** {@code interval.handling.mode}. */
    public static final String INTERVAL_HANDLING_MODE = "interval.handling.mode";
    /** {@code time.precision.mode}. */
    public static final String TIME_PRECISION_MODE = "time.precision.mode";

    /** Lossless defaults: exact numbers, base64, ISO-8601 strings. */
    public static final JsonOptions DEFAULTS = new JsonOptions(DecimalHandling.PRECISE, BinaryHandling.BASE64,
            IntervalHandling.STRING, TimePrecision.ISO_STRING);

    /** {@code decimal.handling.mode} values. */
    public enum DecimalHandling { PRECISE, STRING, DOUBLE }

    /** {@code binary.handling.mode} values. */
    public enum BinaryHandling { BASE64, HEX }

    /** {@code interval.handling.mode} values. */
    public enum IntervalHandling { STRING, NUMERIC }

    /** {@code time.precision.mode} values. */
    public enum TimePrecision { ISO_STRING, ADAPTIVE_TIME_MICROSECONDS }

    /** Checks that no option is null. */
    public JsonOptions {
        Objects.requireNonNull(decimalHandling, DECIMAL_HANDLING_MODE);
        Objects.requireNonNull(binaryHandling, BINARY_HANDLING_MODE);
        Objects.requireNonNull(intervalHandling, INTERVAL_HANDLING_MODE);
        Objects.requireNonNull(timePrecision, TIME_PRECISION_MODE);
    }

    /** A copy with another decimal handling. */
    public JsonOptions withDecimalHandling(DecimalHandling mode) {
        return new JsonOptions(mode, binaryHandling, intervalHandling, timePrecision);
    }

    /** A copy with another binary handling. */
    public JsonOptions withBinaryHandling(BinaryHandling mode) {
        return new JsonOptions(decimalHandling, mode, intervalHandling, timePrecision);
    }

    /** A copy with another interval handling. */
    public JsonOptions withIntervalHandling(IntervalHandling mode) {
        return new JsonOptions(decimalHandling, binaryHandling, mode, timePrecision);
    }

    /** A copy with another time precision. */
    public JsonOptions withTimePrecision(TimePrecision mode) {
        return new JsonOptions(decimalHandling, binaryHandling, intervalHandling, mode);
    }

    /**
     * Applies one option by its Debezium name.
     *
     * @return the changed options, or {@code null} when {@code name} is not one of these options
     * @throws IllegalArgumentException for a value the option does not have
     */
    JsonOptions with(String name, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case DECIMAL_HANDLING_MODE -> withDecimalHandling(switch (v) {
                case "precise" -> DecimalHandling.PRECISE;
                case "string" -> DecimalHandling.STRING;
                case "double" -> DecimalHandling.DOUBLE;
                default -> throw bad(name, value, "precise, string, double");
            });
            case BINARY_HANDLING_MODE -> withBinaryHandling(switch (v) {
                case "bytes", "base64" -> BinaryHandling.BASE64;
                case "hex" -> BinaryHandling.HEX;
                default -> throw bad(name, value, "bytes, base64, hex");
            });
            case INTERVAL_HANDLING_MODE -> withIntervalHandling(switch (v) {
                case "string", "iso_string" -> IntervalHandling.STRING;
                case "numeric", "micros" -> IntervalHandling.NUMERIC;
                default -> throw bad(name, value, "string, numeric");
            });
            case TIME_PRECISION_MODE -> withTimePrecision(switch (v) {
                case "iso_string", "iso" -> TimePrecision.ISO_STRING;
                case "adaptive_time_microseconds", "microseconds" -> TimePrecision.ADAPTIVE_TIME_MICROSECONDS;
                default -> throw bad(name, value, "iso_string, adaptive_time_microseconds");
            });
            default -> null;
        };
    }

    /** Options from a map of Debezium names; unknown names are an error. */
    public static JsonOptions of(Map<String, String> options) {
        JsonOptions o = DEFAULTS;
        for (Map.Entry<String, String> e : options.entrySet()) {
            JsonOptions next = o.with(e.getKey(), e.getValue());
            if (next == null) {
                throw new IllegalArgumentException("unknown option '" + e.getKey() + "'");
            }
            o = next;
        }
        return o;
    }

    private static IllegalArgumentException bad(String name, String value, String valid) {
        return new IllegalArgumentException("option " + name + " must be one of " + valid + ", was '" + value + "'");
    }
}
