package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.ReplicationSetupException;

/**
 * The pgoutput options this reader can ask for, with the protocol version and the server version each
 * needs: the one table behind the builder's checks, the checks against the connected server and the
 * plugin options sent with START_REPLICATION. In the order the options are sent.
 */
public enum PgOutputFeature {
    /** Logical decoding messages ({@code pg_logical_emit_message}). */
    MESSAGES("messages", "messages", 2, 14),
    /** Only changes that did not come from another replication ({@code none}), or all ({@code any}). */
    ORIGIN("origin", "origin", 1, 16),
    /** Values in binary send form where the type has one. */
    BINARY("binary", "binary", 2, 14),
    /** Large transactions streamed while in progress. */
    STREAMING("streaming", "streaming", 2, 14),
    /** {@code streaming = parallel}: also the abort LSN and time of aborted streamed transactions. */
    PARALLEL_STREAMING("parallelStreaming", "streaming", 4, 16),
    /** Prepared transactions at their PREPARE TRANSACTION. */
    TWO_PHASE("twoPhase", "two_phase", 3, 15);

    private final String builderOption;
    private final String pluginOption;
    private final int minimumProtocol;
    private final int minimumServerMajor;

    PgOutputFeature(String builderOption, String pluginOption, int minimumProtocol, int minimumServerMajor) {
        this.builderOption = builderOption;
        this.pluginOption = pluginOption;
        this.minimumProtocol = minimumProtocol;
        this.minimumServerMajor = minimumServerMajor;
    }

    /** The pgoutput option that asks for it. */
    String pluginOption() {
        return pluginOption;
    }

    /** How the builder call that asks for it reads, for messages: {@code binary(true)}, {@code origin("none")}. */
    String setting(String value) {
        return builderOption + "(" + (value.equals("true") || value.equals("parallel") ? "true" : "\"" + value + "\"") + ")";
    }

    /**
     * Fails when the protocol version the application fixed ({@code 0}: the highest the server speaks)
     * cannot carry this feature.
     */
    void checkRequestedProtocol(int requested, String value) {
        if (requested != 0 && requested < minimumProtocol) {
            String setting = setting(value);
            // Parallel streaming has a plain alternative; for the others the option itself is the choice.
            String instead = this == PARALLEL_STREAMING ? "use streaming(true)" : setting;
            throw new ConfigurationException(setting + " needs protocolVersion " + minimumProtocol
                    + (minimumProtocol < ProtocolNegotiation.HIGHEST ? " or higher" : "") + " (PostgreSQL "
                    + minimumServerMajor + "+); remove protocolVersion(" + requested + ") or " + instead);
        }
    }

    /** Fails when the connected server, or the protocol chosen for it, cannot serve this feature. */
    void checkServer(int serverVersionNum, int protocol, String value) {
        String setting = setting(value);
        if (serverVersionNum < minimumServerMajor * 10000) {
            throw new ReplicationSetupException(ReplicationSetupException.Problem.SERVER_VERSION,
                    setting + " needs PostgreSQL " + minimumServerMajor + " or newer, but the server is "
                            + ProtocolNegotiation.describe(serverVersionNum),
                    "remove " + setting + " or upgrade the server", null);
        }
        if (protocol < minimumProtocol) {
            throw new ReplicationSetupException(ReplicationSetupException.Problem.SERVER_VERSION,
                    setting + " needs protocol version " + minimumProtocol + " or higher, but protocol " + protocol
                            + " was requested",
                    "remove protocolVersion(" + protocol + ") or " + setting, null);
        }
    }
}
