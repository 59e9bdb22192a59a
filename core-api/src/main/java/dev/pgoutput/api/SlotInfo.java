package dev.pgoutput.api;

/**
 * One logical replication slot as the server reports it ({@code pg_replication_slots}).
 *
 * @param name              the slot name
 * @param plugin            the output plugin, {@code pgoutput} for slots this library can read
 * @param database          the database it belongs to
 * @param active            whether a connection is streaming from it now
 * @param activePid         the process streaming from it, or 0
 * @param confirmedFlushLsn the position its consumer confirmed; streaming resumes there
 * @param retainedWalBytes  WAL the server keeps for it: from its restart position to the current WAL end
 * @param temporary         whether it ends with the connection that created it
 * @param twoPhase          whether it decodes prepared transactions (PostgreSQL 15+; false before)
 * @param failover          whether it is marked for synchronisation to standbys (PostgreSQL 17+; false before)
 * @param failoverReady     whether a standby can take it over now: a failover slot that has a confirmed
 *                          position (the standbys' copies follow it; check {@code synced} on the standby)
 */
public record SlotInfo(String name, String plugin, String database, boolean active, int activePid,
                       long confirmedFlushLsn, long retainedWalBytes, boolean temporary, boolean twoPhase,
                       boolean failover, boolean failoverReady) {
}
