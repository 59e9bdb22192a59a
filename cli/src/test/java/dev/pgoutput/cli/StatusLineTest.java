package dev.pgoutput.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void progressBar() {
        assertEquals("[###############---------------] 50% 500 of ~1000 rows, 250 rows/s, ETA 2 s",
                StatusLine.progress(500, 1000, 250));
        assertEquals("[------------------------------] 0% 0 of ~1000 rows, 0 rows/s", StatusLine.progress(0, 1000, 0));
        // The planner's estimate was passed: the bar waits at 99 % for the end.
        assertEquals("[#############################-] 99% 1200 of ~1000 rows, 600 rows/s",
                StatusLine.progress(1200, 1000, 600));
        assertEquals("42 rows, 7 rows/s", StatusLine.progress(42, 0, 7.2));
    }
}
