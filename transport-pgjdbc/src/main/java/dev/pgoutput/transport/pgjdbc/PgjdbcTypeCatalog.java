package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.types.PgType;
import dev.pgoutput.types.TypeCatalog;
import dev.pgoutput.types.TypeInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User-defined types read from {@code pg_type}, {@code pg_range} and {@code pg_attribute}. The replication
 * connection cannot run queries once it streams, so a cache miss opens a short-lived ordinary connection
 * with the same settings, reads the type and every user-defined type it is built from, and closes it.
 * Misses happen only when a Relation message names a type not seen before (or announced as changed), so
 * this is rare; the cache survives reconnects of the replication connection.
 *
 * <p>When the catalog cannot be read (no permission, no ordinary connection allowed), the type stays
 * unknown and its values arrive as text; the reason is logged once.
 */
final class PgjdbcTypeCatalog implements TypeCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(PgjdbcTypeCatalog.class);

    /** OIDs below this are assigned by initdb; types announced by pgoutput are above it. */
    private static final int FIRST_NORMAL_OID = 16384;

    private static final String TYPE_SQL = "SELECT n.nspname, t.typname, t.typtype, t.typbasetype, "
            + "CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE 0 END, "
            + "COALESCE((SELECT e.typdelim FROM pg_catalog.pg_type e WHERE e.oid = t.typelem), ','), "
            + "t.typrelid, COALESCE((SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid), 0) "
            + "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?";
    private static final String MULTIRANGE_SQL =
            "SELECT r.rngtypid FROM pg_catalog.pg_range r WHERE r.rngmultitypid = ?";
    private static final String ATTRIBUTES_SQL = "SELECT a.attname, a.atttypid FROM pg_catalog.pg_attribute a "
            + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    private final ConnectionSettings settings;
    private final int serverVersionNum;
    private final Map<Integer, TypeInfo> cache = new ConcurrentHashMap<>();
    private volatile boolean warned;

    PgjdbcTypeCatalog(ConnectionSettings settings, int serverVersionNum) {
        this.settings = settings;
        this.serverVersionNum = serverVersionNum;
    }

    @Override
    public Optional<TypeInfo> find(int oid) {
        TypeInfo cached = cache.get(oid);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection c = open()) {
            load(c, oid);
        } catch (SQLException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot read type {} from the catalog ({}); values of user-defined types arrive as text",
                        Integer.toUnsignedString(oid), e.toString());
            }
        }
        return Optional.ofNullable(cache.get(oid));
    }

    /**
     * Forgets every cached type, not only {@code oid}: a changed type can change the types built from it
     * (a composite's attribute, a domain's base), and the catalog is small.
     */
    @Override
    public void forget(int oid) {
        cache.clear();
    }

    /** Reads {@code oid} and the user-defined types it is made of, breadth first, on one connection. */
    private void load(Connection c, int oid) throws SQLException {
        Deque<Integer> pending = new ArrayDeque<>();
        pending.add(oid);
        int loaded = 0;
        while (!pending.isEmpty() && loaded < 1000) {
            int next = pending.poll();
            if (cache.containsKey(next) || (next < FIRST_NORMAL_OID && PgType.nameOf(next) != null)) {
                continue;
            }
            TypeInfo info = read(c, next);
            loaded++;
            if (info == null) {
                continue;
            }
            cache.put(next, info);
            for (int dependency : new int[] {info.baseOid(), info.elementOid(), info.subtypeOid()}) {
                if (dependency != 0) {
                    pending.add(dependency);
                }
            }
            for (TypeInfo.Attribute a : info.attributes()) {
                pending.add(a.typeOid());
            }
        }
    }

    private TypeInfo read(Connection c, int oid) throws SQLException {
        String namespace;
        String name;
        char kind;
        int base;
        int element;
        char delimiter;
        long relid;
        int subtype;
        try (PreparedStatement ps = c.prepareStatement(TYPE_SQL)) {
            ps.setLong(1, oid & 0xFFFF_FFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                namespace = rs.getString(1);
                name = rs.getString(2);
                kind = rs.getString(3).charAt(0);
                base = (int) rs.getLong(4);
                element = (int) rs.getLong(5);
                String delim = rs.getString(6);
                delimiter = delim == null || delim.isEmpty() ? ',' : delim.charAt(0);
                relid = rs.getLong(7);
                subtype = (int) rs.getLong(8);
            }
        }
        if (kind == 'm' && serverVersionNum >= 140000) {
            try (PreparedStatement ps = c.prepareStatement(MULTIRANGE_SQL)) {
                ps.setLong(1, oid & 0xFFFF_FFFFL);
                try (ResultSet rs = ps.executeQuery()) {
                    subtype = rs.next() ? (int) rs.getLong(1) : 0;
                }
            }
        }
        List<TypeInfo.Attribute> attributes = new ArrayList<>();
        if (kind == 'c' && relid != 0) {
            try (PreparedStatement ps = c.prepareStatement(ATTRIBUTES_SQL)) {
                ps.setLong(1, relid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attributes.add(new TypeInfo.Attribute(rs.getString(1), (int) rs.getLong(2)));
                    }
                }
            }
        }
        return new TypeInfo(oid, namespace, name, kind, base, element, delimiter, subtype, attributes);
    }

    private Connection open() throws SQLException {
        return DriverConnections.open(settings, "pgoutput-decoder-catalog", false);
    }
}
