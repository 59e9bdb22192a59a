/**
 * The replication transport over pgjdbc: connects in replication mode, checks the server's setup with
 * plain SQL, and streams with pgjdbc's replication API.
 */
module dev.pgoutput.transport.pgjdbc {
    requires dev.pgoutput.core;
    requires java.sql;
    requires jdk.jfr;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    provides dev.pgoutput.spi.TransportProvider with dev.pgoutput.transport.pgjdbc.PgjdbcTransportProvider;
}
