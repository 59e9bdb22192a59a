package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ColumnDescriptor;
import java.util.List;

/**
 * What the engine keeps of a Relation message: names, columns with resolved type names (the replica
 * identity shows in which columns are keys), whether the table passes the include filter (decided once,
 * not per change), and the layout its rows share (built once, not per row).
 */
record RelationInfo(int relationId, String schema, String table, List<ColumnDescriptor> columns, boolean included,
                    RowLayout rows) {

    RelationInfo(int relationId, String schema, String table, List<ColumnDescriptor> columns, boolean included) {
        this(relationId, schema, table, columns, included, RowLayout.of(columns));
    }
}
