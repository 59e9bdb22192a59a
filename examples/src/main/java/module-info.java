/**
 * Runnable examples of pgoutput-decoder.
 */
module dev.pgoutput.examples {
    requires dev.pgoutput.core;
    requires dev.pgoutput.json;
    requires dev.pgoutput.testkit;
    requires java.sql;

    exports dev.pgoutput.examples;
}
