/**
 * Micrometer meters for a pgoutput-decoder reader: {@code new ReaderMetricsBinder(reader, tags).bindTo(registry)}.
 */
module dev.pgoutput.micrometer {
    requires transitive dev.pgoutput.core;
    requires transitive micrometer.core;

    exports dev.pgoutput.micrometer;
}
