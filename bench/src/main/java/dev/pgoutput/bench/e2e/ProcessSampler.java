package dev.pgoutput.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Follows a child process through Linux's {@code /proc}: its CPU time (user + system, from
 * {@code /proc/PID/stat}) and its peak resident set ({@code VmHWM} in {@code /proc/PID/status}, a
 * high-water mark, so the last reading is the peak). Sampled every 20 ms until the process ends; the
 * CPU of the last 20 ms at most goes uncounted. Used for pg_recvlogical, which reports nothing itself
 * (the growth of its output file marks its first event, to 20 ms), and for the peak RSS of the JVM
 * contenders.
 */
final class ProcessSampler {

    /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private final long pid;
    private final Path watched;
    private volatile long firstOutputNanos;
    private volatile long cpuTicks;
    private volatile long peakRssBytes;
    private final Thread thread;

    private ProcessSampler(ProcessHandle process, Path watched) {
        this.pid = process.pid();
        this.watched = watched;
        this.thread = new Thread(() -> {
            while (process.isAlive()) {
                sample();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler-" + pid);
        thread.setDaemon(true);
        thread.start();
    }

    static ProcessSampler follow(Process process) {
        return new ProcessSampler(process.toHandle(), null);
    }

    /** Follows a process this JVM did not start, such as the server's walsender, until it ends. */
    static ProcessSampler follow(long pid) {
        return ProcessHandle.of(pid).map(h -> new ProcessSampler(h, null)).orElse(null);
    }

    /** Also notes when {@code output} first holds a byte: the first event of a process that counts nothing. */
    static ProcessSampler follow(Process process, Path output) {
        return new ProcessSampler(process.toHandle(), output);
    }

    private void sample() {
        try {
            if (watched != null && firstOutputNanos == 0 && Files.size(watched) > 0) {
                firstOutputNanos = System.nanoTime();
            }
            cpuTicks = readCpuTicks(pid);
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssBytes = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended between two readings.
        }
    }

    /** A process's CPU time so far (user + system) in clock ticks, from {@code /proc/PID/stat}. */
    static long readCpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name (which may hold spaces) start after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
    }

    /** Ticks as seconds. */
    static double ticksToSeconds(long ticks) {
        return ticks / (double) TICKS_PER_SECOND;
    }

    /** Waits for the sampling thread to see the end of the process. */
    void await() throws InterruptedException {
        thread.join();
    }

    /** {@code System.nanoTime()} when the watched file first held a byte, 0 if it never did. */
    long firstOutputNanos() {
        return firstOutputNanos;
    }

    double cpuSeconds() {
        return ticksToSeconds(cpuTicks);
    }

    long peakRssBytes() {
        return peakRssBytes;
    }
}
