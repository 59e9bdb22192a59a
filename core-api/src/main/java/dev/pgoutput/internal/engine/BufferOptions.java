package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import java.nio.file.Path;

/**
 * How much the reader may hold: between the network and the application, and of transactions whose
 * outcome is not known yet.
 *
 * @param capacity       how many events may wait for the application
 * @param bytes          how many bytes of messages may wait for the application
 * @param spillDirectory where transactions beyond the memory budget are kept until their outcome
 * @param spillMemory    heap bytes for transactions whose outcome is not known yet, before they spill
 */
public record BufferOptions(int capacity, long bytes, Path spillDirectory, long spillMemory) {

    /** Validates. */
    public BufferOptions {
        if (spillMemory < 0) {
            throw new ConfigurationException("spillMemory must not be negative, got " + spillMemory);
        }
        if (capacity < 1) {
            throw new ConfigurationException("bufferCapacity must be at least 1, got " + capacity);
        }
        if (bytes < 1) {
            throw new ConfigurationException("bufferBytes must be at least 1, got " + bytes);
        }
        java.util.Objects.requireNonNull(spillDirectory, "spillDirectory");
    }
}
