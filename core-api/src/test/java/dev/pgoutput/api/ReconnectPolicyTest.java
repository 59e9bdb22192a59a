package dev.pgoutput.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    @Test
    void delaysGrowGeometricallyUpToTheCap() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 0);
        assertEquals(Duration.ofMillis(100), p.delayBefore(1));
        assertEquals(Duration.ofMillis(200), p.delayBefore(2));
        assertEquals(Duration.ofMillis(800), p.delayBefore(4));
        assertEquals(Duration.ofSeconds(1), p.delayBefore(5));
        assertEquals(Duration.ofSeconds(1), p.delayBefore(60));
    }

    @Test
    void jitterStaysWithinItsBand() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0.25, 0);
        for (int i = 0; i < 1000; i++) {
            long ms = p.delayBefore(3).toMillis();
            assertTrue(ms >= 750 && ms <= 1250, "delay " + ms);
        }
    }

    @Test
    void attemptsAreLimitedOrUnlimited() {
        assertTrue(ReconnectPolicy.DEFAULT.allows(1_000_000));
        ReconnectPolicy three = new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1.0, 0.0, 3);
        assertTrue(three.allows(3));
        assertFalse(three.allows(4));
        assertFalse(ReconnectPolicy.NONE.allows(1));
        assertFalse(ReconnectPolicy.NONE.enabled());
    }

    @Test
    void invalidValuesAreRejected() {
        assertThrows(ConfigurationException.class, () -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0, 0));
        assertThrows(ConfigurationException.class, () -> new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 0.5, 0, 0));
        assertThrows(ConfigurationException.class, () -> new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1, 1.5, 0));
        assertThrows(ConfigurationException.class, () -> new ReconnectPolicy(Duration.ZERO, Duration.ZERO, 1, 0, -2));
    }
}
