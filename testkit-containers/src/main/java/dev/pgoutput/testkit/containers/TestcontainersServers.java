package dev.pgoutput.testkit.containers;

import dev.pgoutput.testkit.ContainerServers;
import dev.pgoutput.testkit.PostgresServer;
import java.util.Map;

/**
 * The test kit's {@link ContainerServers} on Testcontainers, registered in {@code META-INF/services}: with this
 * artifact on the test class path and {@code -Dpgoutput.testkit.servers=testcontainers}, {@code
 * PostgresExtension}'s shared servers are {@link ContainerPostgres} containers.
 */
public final class TestcontainersServers implements ContainerServers {

    /** Created by {@link java.util.ServiceLoader}. */
    public TestcontainersServers() {
    }

    @Override
    public String unavailableReason() {
        return ContainerPostgres.dockerAvailable() ? null
                : "no Docker engine is reachable (Testcontainers looked at DOCKER_HOST, the Docker socket and "
                        + "~/.testcontainers.properties)";
    }

    @Override
    public PostgresServer start(int major, Map<String, String> settings) {
        return ContainerPostgres.start(major, settings);
    }
}
