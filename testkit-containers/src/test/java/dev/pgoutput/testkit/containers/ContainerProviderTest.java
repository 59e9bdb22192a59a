package dev.pgoutput.testkit.containers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.ServerSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without a Docker engine: the provider is registered, and the switch reads as documented. */
class ContainerProviderTest {

    @AfterEach
    void clear() {
        System.clearProperty(ServerSource.SYSTEM_PROPERTY);
    }

    @Test
    void theProviderIsRegistered() {
        assertInstanceOf(TestcontainersServers.class, ServerSource.containers(),
                "META-INF/services registers TestcontainersServers");
    }

    @Test
    void theSwitch() {
        System.setProperty(ServerSource.SYSTEM_PROPERTY, "testcontainers");
        assertTrue(ServerSource.containersRequested());
        System.setProperty(ServerSource.SYSTEM_PROPERTY, "embedded");
        assertFalse(ServerSource.containersRequested());
        System.setProperty(ServerSource.SYSTEM_PROPERTY, "docker");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ServerSource::containersRequested);
        assertTrue(e.getMessage().contains("'embedded' or 'testcontainers'"), e.getMessage());
    }
}
