package dev.pgoutput.transport.pgjdbc;

import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.TransportProvider;

/**
 * The transport provider backed by pgjdbc's replication API.
 */
public final class PgjdbcTransportProvider implements TransportProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public PgjdbcTransportProvider() {
    }

    @Override
    public String name() {
        return "pgjdbc";
    }

    @Override
    public ReplicationConnection connect(ConnectionSettings settings) {
        return PgjdbcReplicationConnection.open(settings);
    }
}
