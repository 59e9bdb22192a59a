package dev.pgoutput.spi;

/**
 * A slot just created.
 *
 * @param name            the slot name
 * @param consistentPoint the LSN from which the slot's stream holds every change: stream from here after
 *                        copying under the exported snapshot
 * @param snapshotName    the exported snapshot, or null when none was asked for
 */
public record CreatedSlot(String name, long consistentPoint, String snapshotName) {
}
