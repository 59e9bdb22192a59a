package dev.pgoutput.spi;

import java.util.List;

/**
 * A connection in replication mode, before and during streaming.
 */
public interface ReplicationConnection extends AutoCloseable {

    /** The server's {@code server_version_num}, for example {@code 170002}. */
    int serverVersionNum();

    /**
     * Checks that the server can serve this reader: {@code wal_level = logical}, the slot exists, is
     * logical, uses {@code pgoutput} and belongs to the connected database, and every publication exists.
     *
     * @throws dev.pgoutput.api.ReplicationSetupException naming the problem and the SQL that fixes it
     */
    void verifySetup(String slot, List<String> publications);

    /**
     * The server's {@code wal_sender_timeout}: the server ends a replication connection that has not
     * sent a status update for this long. {@link java.time.Duration#ZERO} when disabled or unknown.
     */
    java.time.Duration walSenderTimeout();

    /** Names of the types in {@code pg_catalog} by OID, used to describe columns. */
    java.util.Map<Integer, String> builtinTypeNames();

    /**
     * The catalog of user-defined types (composites, domains, enums, ranges, extension types) for
     * converting their values. It must keep working while the stream runs, since a Relation that needs a
     * new type can arrive at any time. The default knows no types: their values then arrive as text.
     */
    default dev.pgoutput.types.TypeCatalog typeCatalog() {
        return dev.pgoutput.types.TypeCatalog.NONE;
    }

    /**
     * Creates a logical replication slot for pgoutput with the replication protocol's command.
     * Creation waits for the transactions running when it starts; after {@link SlotRequest#timeout()} it
     * is cancelled (no slot is left behind) and the error names the transactions it waited for.
     *
     * @throws dev.pgoutput.api.ReplicationSetupException when the slot cannot be created: it exists, the
     *                                                    server is too old for an option, creation timed out
     */
    CreatedSlot createSlot(SlotRequest request);

    /**
     * Drops a replication slot, waiting up to {@code timeout} for a connection that uses it to let it go.
     *
     * @throws dev.pgoutput.api.ReplicationSetupException when it does not exist or stays in use
     */
    void dropSlot(String name, java.time.Duration timeout);

    /**
     * Opens a new connection to the same database and imports {@code snapshotName} in it (a repeatable
     * read, read-only transaction): the snapshot exported by {@link #createSlot}. Must be done before this
     * connection sends its next command, which ends the exported snapshot.
     */
    SnapshotSession importSnapshot(String snapshotName);

    /**
     * Opens an ordinary connection to the same database for an incremental snapshot's catalog reads,
     * watermarks and chunks.
     */
    ChunkSession openChunkSession();

    /** The logical replication slots of the server, by name. */
    java.util.List<dev.pgoutput.api.SlotInfo> listSlots();

    /**
     * Starts streaming from the slot.
     *
     * @param request slot, start position and pgoutput options
     * @return the stream; closing it ends replication
     */
    ReplicationStream startReplication(StreamRequest request);

    /** Closes the connection; never throws. */
    @Override
    void close();
}
