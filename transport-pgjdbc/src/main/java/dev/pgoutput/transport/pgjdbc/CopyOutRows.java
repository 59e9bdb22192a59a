package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.spi.SnapshotSession;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/** Runs a {@code COPY … TO STDOUT} and hands each line to a sink, cancelling the copy if the sink throws. */
final class CopyOutRows {

    private CopyOutRows() {
    }

    /** Returns the number of rows copied. */
    static long copy(Connection connection, String sql, SnapshotSession.RowSink rows) throws SQLException {
        CopyOut out = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        long count = 0;
        try {
            byte[] line;
            while ((line = out.readFromCopy()) != null) {
                rows.row(line);
                count++;
            }
        } finally {
            if (out.isActive()) {
                out.cancelCopy();
            }
        }
        return count;
    }
}
