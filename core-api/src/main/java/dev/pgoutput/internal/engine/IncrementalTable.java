package dev.pgoutput.internal.engine;

import dev.pgoutput.protocol.Relation;
import dev.pgoutput.spi.PublishedTable;
import java.util.List;

/**
 * A table under incremental snapshot, as its chunks are read: what the publication publishes of it and the
 * key it is chunked by (column names, and their places among the published columns).
 *
 * @param published  the table as the catalog describes what is published of it
 * @param keyColumns the key's column names, in index order
 * @param keyIndexes where each key column sits among the published columns
 */
record IncrementalTable(PublishedTable published, List<String> keyColumns, int[] keyIndexes) {

    String name() {
        return published.qualifiedName();
    }

    int relationId() {
        return published.relationId();
    }

    /** The Relation message that would describe the published columns. */
    Relation relation() {
        return new Relation(0, published.relationId(), published.schema(), published.table(),
                published.replicaIdentity(), published.columns());
    }
}
