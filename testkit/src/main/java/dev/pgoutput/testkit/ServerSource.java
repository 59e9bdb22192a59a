package dev.pgoutput.testkit;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Where {@link PostgresExtension}'s shared servers come from when no external server is named: the embedded
 * binaries (the default) or containers ({@link ContainerServers}, from {@code pgoutput-testkit-containers}).
 */
public final class ServerSource {

    /** The system property that selects the source: {@code embedded} (default) or {@code testcontainers}. */
    public static final String SYSTEM_PROPERTY = "pgoutput.testkit.servers";

    /** The environment variable that does the same, when the system property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "PGOUTPUT_TESTKIT_SERVERS";

    private ServerSource() {
    }

    /**
     * Whether the system property or the environment variable asks for containers.
     *
     * @return true for {@code testcontainers}
     * @throws IllegalArgumentException for a value that is neither {@code embedded} nor {@code testcontainers}
     */
    public static boolean containersRequested() {
        String value = System.getProperty(SYSTEM_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT_VARIABLE);
        }
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("embedded")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("testcontainers")) {
            return true;
        }
        throw new IllegalArgumentException(SYSTEM_PROPERTY + " / " + ENVIRONMENT_VARIABLE + " must be 'embedded' or "
                + "'testcontainers', not '" + value + "'");
    }

    /**
     * The container provider on the class path, or null when there is none.
     *
     * @return the provider, or null
     */
    public static ContainerServers containers() {
        Iterator<ContainerServers> found = ServiceLoader.load(ContainerServers.class,
                ServerSource.class.getClassLoader()).iterator();
        return found.hasNext() ? found.next() : null;
    }
}
