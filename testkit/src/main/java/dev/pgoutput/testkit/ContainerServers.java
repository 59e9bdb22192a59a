package dev.pgoutput.testkit;

import java.util.Map;

/**
 * Starts PostgreSQL servers in containers, for {@link PostgresExtension}'s shared servers when {@link
 * ServerSource} asks for them. Implemented by the artifact {@code pgoutput-testkit-containers} (Testcontainers)
 * and found with {@link java.util.ServiceLoader}: Testcontainers splits packages across its jars, so it cannot
 * be on the module path, and the test kit itself stays free of it.
 */
public interface ContainerServers {

    /**
     * Why no container can be started here (no Docker engine answers), or null when one can.
     *
     * @return the reason, or null
     */
    String unavailableReason();

    /**
     * Starts a server of one major version, with the test kit's default settings ({@code wal_level=logical},
     * slots and WAL senders, durability off) and {@code settings} on top.
     *
     * @param major    12 to 18
     * @param settings server settings that override the defaults
     * @return the running server; closing it removes the container
     */
    PostgresServer start(int major, Map<String, String> settings);
}
