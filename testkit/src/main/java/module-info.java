/**
 * Real PostgreSQL servers for tests: unpacks the zonky PostgreSQL binaries (versions 12 to 18)
 * from Maven Central, runs {@code initdb} and starts a throwaway server with
 * {@code wal_level=logical}. No Docker, no mocks.
 *
 * <p>JUnit is optional: {@link dev.pgoutput.testkit.PostgresExtension} needs it, the plain
 * {@link dev.pgoutput.testkit.EmbeddedPostgres} launcher does not.
 */
module dev.pgoutput.testkit {
    requires static org.junit.jupiter.api;
    requires static org.opentest4j;
    requires transitive java.sql;
    requires java.net.http;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires org.slf4j;

    exports dev.pgoutput.testkit;

    uses dev.pgoutput.testkit.ContainerServers;
}
