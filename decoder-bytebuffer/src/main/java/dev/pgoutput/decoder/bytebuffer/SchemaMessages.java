package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bodies of the schema messages: Relation {@code 'R'} and Type {@code 'Y'}. Each method
 * starts after the type byte and the optional streamed-block xid.
 *
 * <p>Names are kept exactly as sent: an empty namespace (the server's spelling of {@code pg_catalog})
 * stays empty, and the replica identity byte is passed through unchecked.
 */
final class SchemaMessages {

    /** The fewest bytes a column can take: Int8 flags, an empty name (its NUL), Int32 type, Int32 typmod. */
    private static final int MIN_COLUMN_BYTES = 1 + 1 + 4 + 4;

    private SchemaMessages() {
    }

    /**
     * Relation: Int32 relid, String namespace, String relname, Int8 replident, Int16 ncols, then per
     * column Int8 flags, String name, Int32 type OID, Int32 typmod.
     */
    static Relation relation(ArrayCursor c, int xid) {
        int relationId = c.readInt("relid");
        String namespace = c.readString("namespace");
        String name = c.readString("relation name");
        char replicaIdentity = (char) c.readUnsignedByte("replica identity");
        int countAt = c.offset();
        int count = c.readUnsignedShort("column count");
        if (count > c.remaining() / MIN_COLUMN_BYTES) {
            throw c.errorAt(countAt, "column count " + count + " cannot fit in the " + c.remaining()
                    + " remaining bytes");
        }
        List<Relation.Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int flags = c.readUnsignedByte("column flags");
            String columnName = c.readString("column name");
            int typeOid = c.readInt("column type OID");
            int typeModifier = c.readInt("column type modifier");
            columns.add(new Relation.Column(flags, columnName, typeOid, typeModifier));
        }
        return new Relation(xid, relationId, namespace, name, replicaIdentity, columns);
    }

    /** Type: Int32 type OID, String namespace, String type name. */
    static Type type(ArrayCursor c, int xid) {
        int typeOid = c.readInt("type OID");
        String namespace = c.readString("namespace");
        String name = c.readString("type name");
        return new Type(xid, typeOid, namespace, name);
    }
}
