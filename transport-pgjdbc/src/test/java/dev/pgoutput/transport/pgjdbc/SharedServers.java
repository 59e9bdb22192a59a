package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.testkit.PostgresExtension;

/**
 * The settings of the shared servers that the ITs parameterized over the server version need, each
 * written once: classes that ask for the same settings get the same server of each version for the whole
 * run, and a setting spelt two ways ({@code 64kB}, {@code 64kb}) would start a second one. Each method
 * returns a new extension for one class to register.
 */
final class SharedServers {

    private SharedServers() {
    }

    /** The test kit's default settings. */
    static PostgresExtension defaults() {
        return PostgresExtension.anyVersion();
    }

    /**
     * {@code logical_decoding_work_mem} at its minimum, 64 kB: the server streams (or, without streaming,
     * spills) a transaction once its changes exceed that, so a few thousand rows are enough.
     */
    static PostgresExtension streaming() {
        return PostgresExtension.anyVersion().withSetting("logical_decoding_work_mem", "64kB");
    }

    /** Prepared transactions allowed ({@code max_prepared_transactions} is 0 by default). */
    static PostgresExtension twoPhase() {
        return PostgresExtension.anyVersion().withSetting("max_prepared_transactions", "10");
    }

    /** {@link #streaming()} and {@link #twoPhase()} together, for large prepared transactions. */
    static PostgresExtension streamingTwoPhase() {
        return PostgresExtension.anyVersion()
                .withSetting("logical_decoding_work_mem", "64kB")
                .withSetting("max_prepared_transactions", "10");
    }
}
