package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExternalPostgresTest {

    @Test
    void parsesAllParts() {
        ExternalPostgres server = ExternalPostgres.fromUri("postgresql://repl:s3cret@db.local:6543/app");
        assertEquals("db.local", server.host());
        assertEquals(6543, server.port());
        assertEquals("app", server.database());
        assertEquals("repl", server.user());
        assertEquals("s3cret", server.password());
        assertEquals("jdbc:postgresql://db.local:6543/app", server.jdbcUrl());
    }

    @Test
    void decodesPercentEncodedCredentialsButKeepsPlus() {
        ExternalPostgres server = ExternalPostgres.fromUri("postgres://us%40er:p%3Aa+ss%2F@h/d");
        assertEquals("us@er", server.user());
        assertEquals("p:a+ss/", server.password());
        assertEquals(5432, server.port());
    }

    @Test
    void defaultsUserAndDatabase() {
        ExternalPostgres server = ExternalPostgres.fromUri("postgresql://[::1]:5433");
        assertEquals("::1", server.host());
        assertEquals("postgres", server.user());
        assertEquals("postgres", server.database());
        assertEquals("jdbc:postgresql://[::1]:5433/postgres", server.jdbcUrl());
    }

    @Test
    void rejectsOtherSchemesWithoutEchoingThePassword() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ExternalPostgres.fromUri("mysql://u:topsecret@h/d"));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExternalPostgres.fromUri("postgresql://h/d?sslmode=require"));
    }

    @Test
    void toStringHidesThePassword() {
        assertFalse(ExternalPostgres.fromUri("postgresql://u:topsecret@h/d").toString().contains("topsecret"));
    }
}
