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
    static Relation relation(MessageReader r, int xid) {
        int relationId = r.readInt("relid");
        String namespace = r.readString("namespace");
        String name = r.readString("relation name");
        char replicaIdentity = (char) r.readUnsignedByte("replica identity");
        int countAt = r.offset();
        int count = r.readUnsignedShort("column count");
        if (count > r.remaining() / MIN_COLUMN_BYTES) {
            throw r.errorAt(countAt, "column count " + count + " cannot fit in the " + r.remaining()
                    + " remaining bytes");
        }
        List<Relation.Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int flags = r.readUnsignedByte("column flags");
            String columnName = r.readString("column name");
            int typeOid = r.readInt("column type OID");
            int typeModifier = r.readInt("column type modifier");
            columns.add(new Relation.Column(flags, columnName, typeOid, typeModifier));
        }
        return new Relation(xid, relationId, namespace, name, replicaIdentity, columns);
    }

    /** Type: Int32 type OID, String namespace, String type name. */
    static Type type(MessageReader r, int xid) {
        int typeOid = r.readInt("type OID");
        String namespace = r.readString("namespace");
        String name = r.readString("type name");
        return new Type(xid, typeOid, namespace, name);
    }
}
