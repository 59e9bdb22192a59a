package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.TypeCatalog;
import dev.pgoutput.types.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relations and non-built-in types announced by the server in this session. The server sends a
 * Relation before the first change of a table in every walsender session and again after its schema
 * changes, so the cache starts empty on every connection.
 *
 * <p>Each column's {@link ValueType} is resolved when its Relation arrives, through the {@link TypeCatalog}
 * for user-defined types. The server sends a Type message before every Relation that uses a non-built-in
 * type, also after the type changed, so a Type message drops the catalog's cached entry and the Relation
 * that follows reads it afresh.
 *
 * <p>While a kept transaction is delivered, its own Relation messages describe its tables as they were
 * for it, and must not change what later transactions see: they go to an overlay that is consulted first
 * and dropped afterwards ({@link #beginOverlay()}, {@link #endOverlay(boolean)}).
 */
final class RelationCache {

    private final Map<Integer, RelationInfo> relations = new HashMap<>();
    /** The Relations of the kept transaction being delivered, or null outside one. */
    private Map<Integer, RelationInfo> overlay;
    private final Map<Integer, String> typeNames = new HashMap<>();
    private final Map<Integer, String> catalogTypeNames;
    private final Set<String> includedTables;
    private final TypeCatalog catalog;

    /**
     * @param catalogTypeNames built-in type names from {@code pg_type}, may be empty
     * @param includedTables   qualified names to keep, or empty for all
     */
    RelationCache(Map<Integer, String> catalogTypeNames, Set<String> includedTables) {
        this(catalogTypeNames, TypeCatalog.NONE, includedTables);
    }

    /**
     * @param catalogTypeNames built-in type names from {@code pg_type}, may be empty
     * @param catalog          user-defined types
     * @param includedTables   qualified names to keep, or empty for all
     */
    RelationCache(Map<Integer, String> catalogTypeNames, TypeCatalog catalog, Set<String> includedTables) {
        this.catalogTypeNames = catalogTypeNames;
        this.catalog = catalog;
        this.includedTables = includedTables;
    }

    void onType(Type type) {
        String name = type.namespace().isEmpty() || type.namespace().equals("pg_catalog")
                ? type.name() : type.namespace() + "." + type.name();
        typeNames.put(type.typeOid(), name);
        catalog.forget(type.typeOid());
    }

    RelationInfo onRelation(Relation r) {
        RelationInfo info = describe(r);
        (overlay != null ? overlay : relations).put(r.relationId(), info);
        return info;
    }

    /**
     * What the engine keeps of {@code r}, without keeping it: for a table described from the catalog
     * (a snapshot) rather than by the stream. Thread-safe as long as no Type message arrives meanwhile.
     */
    RelationInfo describe(Relation r) {
        String schema = r.namespace().isEmpty() ? "pg_catalog" : r.namespace();
        List<ColumnDescriptor> columns = new ArrayList<>(r.columns().size());
        for (Relation.Column c : r.columns()) {
            String typeName = typeName(c.typeOid());
            ValueType valueType = resolve(c.typeOid(), typeName);
            columns.add(new ColumnDescriptor(c.name(), c.typeOid(), typeName, c.typeModifier(), c.isKey(), valueType));
        }
        boolean included = includedTables.isEmpty() || includedTables.contains(schema + "." + r.name());
        return new RelationInfo(r.relationId(), schema, r.name(), List.copyOf(columns), included);
    }

    /** Relation messages from now on describe the kept transaction being delivered only. */
    void beginOverlay() {
        overlay = new HashMap<>();
    }

    /**
     * The kept transaction was delivered: its descriptions are dropped. With {@code adoptUnknown}, those
     * of tables that have no description outside it are kept: the server counts a committed streamed
     * transaction's Relations as sent, and will not send them again before the table's next change.
     */
    void endOverlay(boolean adoptUnknown) {
        Map<Integer, RelationInfo> ended = overlay;
        overlay = null;
        if (adoptUnknown && ended != null) {
            ended.forEach(relations::putIfAbsent);
        }
    }

    /**
     * The relation a change refers to.
     *
     * @throws PgOutputException when the server never described it, which breaks the protocol
     */
    RelationInfo get(int relationId, long lsn) {
        RelationInfo info = overlay == null ? null : overlay.get(relationId);
        if (info == null) {
            info = relations.get(relationId);
        }
        if (info == null) {
            throw new PgOutputException("change at LSN " + dev.pgoutput.protocol.Lsn.format(lsn)
                    + " refers to relation " + Integer.toUnsignedString(relationId)
                    + " that the server has not described in this session");
        }
        return info;
    }

    /** Never fails: a catalog that cannot answer leaves the type unknown, and its values arrive as text. */
    private ValueType resolve(int oid, String typeName) {
        try {
            return ValueType.resolve(oid, typeName, catalog);
        } catch (RuntimeException e) {
            return ValueType.unknown(typeName);
        }
    }

    private String typeName(int oid) {
        String name = typeNames.get(oid);
        if (name == null) {
            name = catalogTypeNames.get(oid);
        }
        if (name == null) {
            name = PgType.nameOf(oid);
        }
        return name == null ? "oid:" + Integer.toUnsignedString(oid) : name;
    }
}
