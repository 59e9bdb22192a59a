package dev.pgoutput.spi;

import dev.pgoutput.protocol.Relation;
import java.util.List;

/**
 * A table as the publication publishes it, described from the catalog under a snapshot: the columns a
 * Relation message would name (the publication's column list on PostgreSQL 15+, never dropped or, before
 * 18, generated columns), with the replica identity flags, and the publication's row filter.
 *
 * @param relationId      the table's OID
 * @param schema          its schema
 * @param table           its name
 * @param replicaIdentity {@code relreplident}
 * @param partitioned     whether it is a partitioned table (its rows are in its partitions)
 * @param columns         the published columns in order, flagged as in a Relation message
 * @param rowFilter       the publication's row filter (a SQL expression), or null
 * @param pages           the table's size in pages ({@code relpages}, an estimate; 0 when unknown)
 * @param estimatedRows   its estimated row count ({@code reltuples}; negative when never analysed)
 */
public record PublishedTable(int relationId, String schema, String table, char replicaIdentity, boolean partitioned,
                             List<Relation.Column> columns, String rowFilter, long pages, long estimatedRows) {

    /** Copies the column list. */
    public PublishedTable {
        columns = List.copyOf(columns);
    }

    /** {@code schema.table}. */
    public String qualifiedName() {
        return schema + "." + table;
    }
}
