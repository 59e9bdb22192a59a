package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to stream and how the server should send it: the slot, the publications, the table filter and
 * the pgoutput options. Validates itself: a combination the protocol cannot express fails here, before
 * anything connects.
 *
 * @param slot              the logical replication slot
 * @param publications      publications to stream, at least one
 * @param tables            qualified table names to include; empty for all
 * @param protocolVersion   requested pgoutput protocol version, 0 for the highest the server speaks
 * @param binary            binary tuple format
 * @param messages          logical decoding messages
 * @param origin            pgoutput's {@code origin} ({@code "none"} or {@code "any"}), or null to leave it unset
 * @param streaming         large transactions streamed while in progress (also set by parallel streaming)
 * @param parallelStreaming {@code streaming = parallel}
 * @param twoPhase          prepared transactions
 * @param createSlot        create the slot when it is missing at start
 * @param slotCreationTimeout how long creating the slot may wait for running transactions
 */
public record StreamOptions(String slot, List<String> publications, Set<String> tables, int protocolVersion,
                            boolean binary, boolean messages, String origin, boolean streaming,
                            boolean parallelStreaming, boolean twoPhase, boolean createSlot,
                            java.time.Duration slotCreationTimeout) {

    /** Validates and copies. */
    public StreamOptions {
        SlotNames.validate(slot);
        if (publications.isEmpty()) {
            throw new ConfigurationException("publication(...) is required: at least one publication to stream");
        }
        for (String p : publications) {
            PublicationNames.validate(p);
        }
        for (String t : tables) {
            int dot = t == null ? -1 : t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1) {
                throw new ConfigurationException("tables(...) takes qualified names such as public.users, got: " + t);
            }
        }
        if (protocolVersion < 0 || protocolVersion > 4) {
            throw new ConfigurationException("protocolVersion must be 1, 2, 3 or 4 (or unset for the highest "
                    + "the server speaks), got " + protocolVersion);
        }
        if (slotCreationTimeout == null || slotCreationTimeout.isNegative() || slotCreationTimeout.isZero()) {
            throw new ConfigurationException("slotCreationTimeout must be positive, got " + slotCreationTimeout);
        }
        if (origin != null && !origin.equals("none") && !origin.equals("any")) {
            throw new ConfigurationException("origin must be \"none\" or \"any\", got \"" + origin + "\"");
        }
        streaming = streaming || parallelStreaming;
        publications = List.copyOf(publications);
        tables = Set.copyOf(tables);
        if (parallelStreaming) {
            // Parallel streaming is streaming first: a protocol without streaming is told as such.
            PgOutputFeature.STREAMING.checkRequestedProtocol(protocolVersion, "true");
        }
        for (Map.Entry<PgOutputFeature, String> f : features(binary, messages, origin, streaming, parallelStreaming,
                twoPhase).entrySet()) {
            f.getKey().checkRequestedProtocol(protocolVersion, f.getValue());
        }
    }

    /** The features asked for, each with the value of its plugin option, in the order they are sent. */
    Map<PgOutputFeature, String> features() {
        return features(binary, messages, origin, streaming, parallelStreaming, twoPhase);
    }

    private static Map<PgOutputFeature, String> features(boolean binary, boolean messages, String origin,
                                                         boolean streaming, boolean parallel, boolean twoPhase) {
        Map<PgOutputFeature, String> features = new java.util.EnumMap<>(PgOutputFeature.class);
        if (messages) {
            features.put(PgOutputFeature.MESSAGES, "true");
        }
        if (origin != null) {
            features.put(PgOutputFeature.ORIGIN, origin);
        }
        if (binary) {
            features.put(PgOutputFeature.BINARY, "true");
        }
        if (parallel) {
            features.put(PgOutputFeature.PARALLEL_STREAMING, "parallel");
        } else if (streaming) {
            features.put(PgOutputFeature.STREAMING, "true");
        }
        if (twoPhase) {
            features.put(PgOutputFeature.TWO_PHASE, "true");
        }
        return features;
    }

    /**
     * Whether the stream can carry incremental snapshots' watermarks: logical decoding messages, which
     * pgoutput sends from PostgreSQL 14 with protocol 2.
     */
    static boolean carriesWatermarks(int serverVersionNum, int protocol) {
        return serverVersionNum >= 140000 && protocol >= 2;
    }

    /**
     * Checks the features against the connected server and returns the plugin options for it, in order:
     * {@code proto_version}, {@code publication_names}, then each feature's option.
     *
     * @throws dev.pgoutput.api.ReplicationSetupException when the server cannot serve one of them
     */
    Map<String, String> pluginOptions(int serverVersionNum, int protocol) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("proto_version", Integer.toString(protocol));
        options.put("publication_names", PublicationNames.quote(publications));
        for (Map.Entry<PgOutputFeature, String> f : features().entrySet()) {
            f.getKey().checkServer(serverVersionNum, protocol, f.getValue());
            options.put(f.getKey().pluginOption(), f.getValue());
        }
        if (!messages && carriesWatermarks(serverVersionNum, protocol)) {
            // Incremental snapshots' watermarks are messages; the application's own are not delivered.
            options.put(PgOutputFeature.MESSAGES.pluginOption(), "true");
        }
        return options;
    }
}
