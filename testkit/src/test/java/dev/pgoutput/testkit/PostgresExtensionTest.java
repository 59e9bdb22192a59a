package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@link PostgresExtension} refuses before any server is involved. */
class PostgresExtensionTest {

    @Test
    void anyVersionHasNoServerOfItsOwn() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresExtension.anyVersion().server());
        assertTrue(e.getMessage().contains("server(major)"), e.getMessage());
    }

    @Test
    void anyVersionCannotBeIsolated() {
        assertThrows(IllegalStateException.class, () -> PostgresExtension.anyVersion().isolated());
        assertThrows(IllegalStateException.class,
                () -> PostgresExtension.anyVersion().withSetting("fsync", "on").isolated());
    }

    @Test
    void aServerOfAVersionNeedsTheExtensionToHaveRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresExtension.anyVersion().server(17));
        assertTrue(e.getMessage().contains("static field"), e.getMessage());
    }

    @Test
    void anIsolatedExtensionGivesOnlyItsOwnServer() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> PostgresExtension.version(17).isolated().server(17));
        assertTrue(e.getMessage().contains("server()"), e.getMessage());
    }

    @Test
    void unsupportedVersionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PostgresExtension.anyVersion().server(11));
    }

    @Test
    void namesWhatItServes() {
        assertEquals("PostgresExtension[any version, {fsync=on}]",
                PostgresExtension.anyVersion().withSetting("fsync", "on").toString());
        assertFalse(PostgresExtension.version(16).isolated().toString().contains("any"));
    }
}
