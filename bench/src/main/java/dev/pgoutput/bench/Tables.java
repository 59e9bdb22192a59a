package dev.pgoutput.bench;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.internal.engine.RowLayout;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import dev.pgoutput.types.PgType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The relations seen so far in a stream and the rows of its changes, built with the engine's own
 * {@link RowLayout} (one per Relation, as the engine keeps it) and the engine's rules: the before row of an
 * old key exposes only the key columns, and an after row falls back to the old row for unchanged TOASTed
 * columns.
 *
 * <p>Column types are the built-in ones ({@link ColumnDescriptor}'s five-argument constructor); user-defined
 * types, which the engine would look up in the catalog, stay unknown and convert as text.
 */
public final class Tables {

    /**
     * One table as its last Relation message described it.
     *
     * @param schema  schema name ({@code pg_catalog} for the empty namespace)
     * @param name    table name
     * @param rows    the layout of its rows: the published columns in tuple order and their name index
     */
    public record Table(String schema, String name, RowLayout rows) {

        /** The published columns in tuple order. */
        public List<ColumnDescriptor> columns() {
            return rows.columns();
        }
    }

    private final Map<Integer, Table> tables = new HashMap<>();

    /** Remembers (or replaces) a table. */
    public void onRelation(Relation r) {
        List<ColumnDescriptor> columns = new ArrayList<>(r.columns().size());
        for (Relation.Column c : r.columns()) {
            String typeName = PgType.nameOf(c.typeOid());
            columns.add(new ColumnDescriptor(c.name(), c.typeOid(),
                    typeName != null ? typeName : "oid:" + Integer.toUnsignedString(c.typeOid()),
                    c.typeModifier(), c.isKey()));
        }
        String schema = r.namespace().isEmpty() ? "pg_catalog" : r.namespace();
        tables.put(r.relationId(), new Table(schema, r.name(), RowLayout.of(columns)));
    }

    /**
     * The table a change refers to.
     *
     * @throws IllegalStateException when no Relation described it
     */
    public Table table(int relationId) {
        Table t = tables.get(relationId);
        if (t == null) {
            throw new IllegalStateException("no Relation for " + Integer.toUnsignedString(relationId));
        }
        return t;
    }

    /** The inserted row. */
    public Row after(Insert m) {
        return table(m.relationId()).rows().row(m.newTuple(), null, false);
    }

    /** The new row, unchanged TOASTed columns taken from the old row when the server sent it. */
    public Row after(Update m) {
        return table(m.relationId()).rows().row(m.newTuple(), m.oldKind() == 'O' ? m.oldTuple() : null, false);
    }

    /** The old row or key, or {@code null} when the server sent none. */
    public Row before(Update m) {
        return m.oldTuple() == null ? null : old(m.relationId(), m.oldKind(), m.oldTuple());
    }

    /** The deleted row or key. */
    public Row before(Delete m) {
        return old(m.relationId(), m.oldKind(), m.oldTuple());
    }

    private Row old(int relationId, char oldKind, TupleData tuple) {
        return table(relationId).rows().row(tuple, null, oldKind == 'K');
    }
}
