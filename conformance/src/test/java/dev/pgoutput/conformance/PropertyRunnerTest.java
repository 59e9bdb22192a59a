package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's own promises: failures name seed and case, cases replay, endless loops are caught. */
class PropertyRunnerTest {

    @Test
    void aFailureNamesTheSeedAndTheCase() {
        AssertionError e = assertThrows(AssertionError.class, () -> PropertyRunner.check("fails at 3", 10,
                (random, i) -> {
                    if (i == 3) {
                        throw new IllegalStateException("boom");
                    }
                }));
        assertTrue(e.getMessage().contains("case 3"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dconformance.seed=" + PropertyRunner.SEED), e.getMessage());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void aCaseSeesTheSameRandomValuesEveryTime() {
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        PropertyRunner.check("replay", 5, (random, i) -> first.add(random.nextLong()));
        PropertyRunner.check("replay", 5, (random, i) -> second.add(random.nextLong()));
        assertEquals(first, second);
    }

    @Test
    void anEndlessCaseFailsAfterTheTimeout() {
        AssertionError e = assertThrows(AssertionError.class, () -> PropertyRunner.check("loops", 10,
                Duration.ofMillis(200), (random, i) -> {
                    while (i == 2) {
                        Thread.onSpinWait();
                    }
                }));
        assertTrue(e.getMessage().contains("case 2") && e.getMessage().contains("still running"), e.getMessage());
    }
}
