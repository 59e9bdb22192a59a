package dev.pgoutput.schema;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Debezium PostgreSQL connector options that change schemas and values, under their Debezium names and with
 * Debezium's defaults.
 *
 * <pre>{@code
 * SchemaOptions options = SchemaOptions.fromProperties(Map.of("decimal.handling.mode", "string"));
 * }</pre>
 *
 * @param decimalHandling  {@code decimal.handling.mode}
 * @param timePrecision    {@code time.precision.mode}
 * @param binaryHandling   {@code binary.handling.mode}
 * @param intervalHandling {@code interval.handling.mode}
 * @param hstoreHandling   {@code hstore.handling.mode}
 * @param unavailableValue {@code unavailable.value.placeholder}: written for an unchanged TOASTed value
 */
public record SchemaOptions(DecimalHandling decimalHandling, TimePrecision timePrecision,
                            BinaryHandling binaryHandling, IntervalHandling intervalHandling,
                            HstoreHandling hstoreHandling, String unavailableValue) {

    /** Debezium's default {@code unavailable.value.placeholder}. */
    public static final String DEFAULT_UNAVAILABLE_VALUE = "__debezium_unavailable_value";

    /** Checks every part. */
    public SchemaOptions {
        Objects.requireNonNull(decimalHandling, "decimalHandling");
        Objects.requireNonNull(timePrecision, "timePrecision");
        Objects.requireNonNull(binaryHandling, "binaryHandling");
        Objects.requireNonNull(intervalHandling, "intervalHandling");
        Objects.requireNonNull(hstoreHandling, "hstoreHandling");
        Objects.requireNonNull(unavailableValue, "unavailableValue");
    }

    /** Debezium's defaults. */
    public static SchemaOptions defaults() {
        return new SchemaOptions(DecimalHandling.PRECISE, TimePrecision.ADAPTIVE, BinaryHandling.BYTES,
                IntervalHandling.NUMERIC, HstoreHandling.JSON, DEFAULT_UNAVAILABLE_VALUE);
    }

    /**
     * The options among {@code properties} (Debezium's names and values, case-insensitive), defaults for the
     * others.
     *
     * @throws IllegalArgumentException for a value Debezium does not accept or this library does not support
     */
    public static SchemaOptions fromProperties(Map<String, String> properties) {
        return new SchemaOptions(
                parse(DecimalHandling.class, properties.get("decimal.handling.mode"), DecimalHandling.PRECISE),
                parse(TimePrecision.class, properties.get("time.precision.mode"), TimePrecision.ADAPTIVE),
                parse(BinaryHandling.class, properties.get("binary.handling.mode"), BinaryHandling.BYTES),
                parse(IntervalHandling.class, properties.get("interval.handling.mode"), IntervalHandling.NUMERIC),
                parse(HstoreHandling.class, properties.get("hstore.handling.mode"), HstoreHandling.JSON),
                properties.getOrDefault("unavailable.value.placeholder", DEFAULT_UNAVAILABLE_VALUE));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String constant = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, constant);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported value '" + value + "' for " + type.getSimpleName(), e);
        }
    }

    /** {@code decimal.handling.mode}. */
    public enum DecimalHandling {
        /** Connect {@code Decimal}, or {@code VariableScaleDecimal} for an unconstrained numeric. */
        PRECISE,
        /** FLOAT64. */
        DOUBLE,
        /** The number's text. */
        STRING
    }

    /** {@code time.precision.mode} (the modes supported here). */
    public enum TimePrecision {
        /** Debezium's types by the column's precision: milliseconds up to 3 digits, microseconds above. */
        ADAPTIVE,
        /** As {@link #ADAPTIVE}, but {@code time} always as {@code MicroTime}. */
        ADAPTIVE_TIME_MICROSECONDS,
        /** Connect's {@code Date}, {@code Time} and {@code Timestamp} (milliseconds). */
        CONNECT,
        /** {@code MicroTime} and {@code MicroTimestamp} for every precision. */
        MICROSECONDS
    }

    /** {@code binary.handling.mode}. */
    public enum BinaryHandling {
        /** BYTES. */
        BYTES,
        /** Base64 text. */
        BASE64,
        /** URL-safe base64 text. */
        BASE64_URL_SAFE,
        /** Lower-case hexadecimal text. */
        HEX
    }

    /** {@code interval.handling.mode}. */
    public enum IntervalHandling {
        /** {@code io.debezium.time.MicroDuration}: approximate microseconds. */
        NUMERIC,
        /** {@code io.debezium.time.Interval}: ISO-8601 text. */
        STRING
    }

    /** {@code hstore.handling.mode}. */
    public enum HstoreHandling {
        /** {@code io.debezium.data.Json} text. */
        JSON,
        /** A MAP of STRING to optional STRING. */
        MAP
    }
}
