package dev.pgoutput.spi;

/**
 * Opens replication connections. Found with {@link java.util.ServiceLoader}; the pgjdbc transport is the
 * one shipped.
 */
public interface TransportProvider {

    /** The short name, for example {@code "pgjdbc"}. */
    String name();

    /**
     * Connects in replication mode.
     *
     * @throws dev.pgoutput.api.ReplicationSetupException      for permanent failures (authentication,
     *                                                         missing database)
     * @throws dev.pgoutput.api.ReplicationConnectionException for failures a retry may fix
     */
    ReplicationConnection connect(ConnectionSettings settings);
}
