package dev.pgoutput.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.internal.engine.ReaderConfig;
import org.junit.jupiter.api.Test;

class BuilderValidationTest {

    private static LogicalReplicationReader.Builder valid() {
        return LogicalReplicationReader.builder().host("db").port(6543).database("shop").user("cdc")
                .password("s3cret").publication("pub").slot("slot_1");
    }

    private static String failure(LogicalReplicationReader.Builder b) {
        return assertThrows(ConfigurationException.class, b::config).getMessage();
    }

    @Test
    void validOptionsMakeAConfigWithDefaults() {
        ReaderConfig c = valid().config();
        assertEquals("db", c.connection().host());
        assertEquals(6543, c.connection().port());
        assertTrue(c.delivery().autoAcknowledge());
        assertEquals(0, c.stream().protocolVersion());
        assertEquals("pgoutput", c.serverName());
        assertFalse(c.stream().streaming());
        assertFalse(c.stream().twoPhase());
        assertEquals(16L << 20, c.buffers().spillMemory());
        assertTrue(c.buffers().spillDirectory().endsWith(java.nio.file.Path.of("pgoutput-spill", c.stream().slot())),
                "one spill directory per slot by default: " + c.buffers().spillDirectory());
        assertTrue(valid().parallelStreaming(true).config().stream().streaming(), "parallel streaming is streaming");
        assertFalse(c.connection().toString().contains("s3cret"));
    }

    @Test
    void missingOrInvalidOptionsNameTheOption() {
        assertTrue(failure(valid().slot(null)).contains("slot(...)"));
        assertTrue(failure(valid().slot("Bad-Slot")).contains("lower-case"));
        assertTrue(failure(LogicalReplicationReader.builder().database("d").user("u").slot("s")).contains("publication"));
        assertTrue(failure(valid().publication("x'; DROP TABLE t; --")).contains("quote"));
        assertTrue(failure(valid().tables("users")).contains("qualified"));
        assertTrue(failure(valid().protocolVersion(5)).contains("protocolVersion"));
        assertTrue(failure(valid().binary(true).protocolVersion(1)).contains("binary"));
        assertTrue(failure(valid().messages(true).protocolVersion(1)).contains("messages(true) needs protocolVersion 2"));
        assertTrue(failure(valid().receiveTimeout(java.time.Duration.ofSeconds(-1))).contains("receiveTimeout"));
        assertTrue(failure(valid().streaming(true).protocolVersion(1)).contains("streaming(true) needs protocolVersion 2"));
        assertTrue(failure(valid().parallelStreaming(true).protocolVersion(3))
                .contains("parallelStreaming(true) needs protocolVersion 4"));
        assertTrue(failure(valid().parallelStreaming(true).protocolVersion(3)).contains("or use streaming(true)"));
        assertTrue(failure(valid().parallelStreaming(true).protocolVersion(1))
                .contains("streaming(true) needs protocolVersion 2"), "parallel streaming is streaming first");
        assertTrue(failure(valid().twoPhase(true).protocolVersion(2)).contains("twoPhase(true) needs protocolVersion 3"));
        assertTrue(failure(valid().spillMemory(-1)).contains("spillMemory"));
        assertTrue(failure(valid().deliverUncommitted(true).transactionOutcomes(o -> { }))
                .contains("deliverUncommitted(true) needs streaming(true)"));
        assertTrue(failure(valid().streaming(true).deliverUncommitted(true)).contains("transactionOutcomes"));
        assertTrue(failure(valid().deliverOnPrepare(true).transactionOutcomes(o -> { }))
                .contains("deliverOnPrepare(true) needs twoPhase(true)"));
        assertTrue(failure(valid().twoPhase(true).deliverOnPrepare(true)).contains("transactionOutcomes"));
        ConfigurationException read = org.junit.jupiter.api.Assertions.assertThrows(ConfigurationException.class,
                () -> valid().skippedOperations(Op.READ));
        assertTrue(read.getMessage().contains("READ"), read.getMessage());
        assertTrue(failure(valid().origin("local")).contains("origin must be"));
        assertTrue(failure(valid().bufferCapacity(0)).contains("bufferCapacity"));
        assertTrue(failure(valid().port(0)).contains("port"));
        assertTrue(failure(LogicalReplicationReader.builder().user("u").publication("p").slot("s")).contains("database"));
    }

    @Test
    void connectionUriSuppliesCoordinatesAndHidesThePassword() {
        ReaderConfig c = LogicalReplicationReader.builder()
                .connectionUri("postgresql://cdc:p%40ss@db.example:6000/shop?sslmode=require")
                .publication("pub").slot("s").config();
        assertEquals("db.example", c.connection().host());
        assertEquals(6000, c.connection().port());
        assertEquals("shop", c.connection().database());
        assertEquals("cdc", c.connection().user());
        assertEquals("p@ss", c.connection().password());
        assertEquals("require", c.connection().properties().get("sslmode"));
        assertFalse(c.connection().toString().contains("p%40ss"));
        assertFalse(c.connection().toString().contains("p@ss"));
    }

    @Test
    void badUrisAreRejectedWithoutEchoingThePassword() {
        String m = failure(LogicalReplicationReader.builder().connectionUri("mysql://u:topsecret@h/db").publication("p").slot("s"));
        assertFalse(m.contains("topsecret"), m);
        assertTrue(failure(LogicalReplicationReader.builder().connectionUri("postgresql://u:pw@h:5432").publication("p").slot("s"))
                .contains("database"));
    }
}
