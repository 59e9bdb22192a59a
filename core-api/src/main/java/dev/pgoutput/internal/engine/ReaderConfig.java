package dev.pgoutput.internal.engine;

import dev.pgoutput.spi.ConnectionSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a reader was configured with, validated by the builder.
 *
 * @param connection      where to connect
 * @param slot            replication slot
 * @param publications    publications to stream
 * @param autoAcknowledge acknowledge each event when the next is requested
 * @param decoder         requested decoder name, or null for automatic selection
 * @param binary          request binary tuple format
 * @param tables          qualified table names to include; empty for all
 * @param protocolVersion requested pgoutput protocol version, 0 for the highest the server speaks
 * @param statusInterval  how often to send status updates
 * @param bufferCapacity  how many events may wait between the network and the application
 * @param serverName      the logical name in the source block
 * @param reconnect       how to reconnect after transient failures
 * @param bufferBytes     how many bytes of messages may wait between the network and the application
 * @param receiveTimeout  silence after which the connection is presumed lost; zero for never
 * @param messages        deliver logical decoding messages (pgoutput's {@code messages} option)
 * @param skippedOperations operations not delivered
 * @param origin          pgoutput's {@code origin} option ({@code "none"} or {@code "any"}), or null to leave it unset
 * @param streaming       ask the server to stream large transactions while in progress
 * @param parallelStreaming ask for {@code streaming = parallel} (protocol 4)
 * @param twoPhase        ask for prepared transactions (pgoutput's {@code two_phase})
 * @param spillDirectory  where transactions beyond the memory budget are kept until their outcome
 * @param spillMemory     heap bytes for transactions whose outcome is not known yet, before they spill
 * @param deliverUncommitted deliver changes of streamed transactions as they arrive
 * @param deliverOnPrepare deliver prepared transactions at PREPARE
 * @param outcomes        receives the outcomes of transactions delivered early; null when none are
 */
public record ReaderConfig(ConnectionSettings connection, String slot, List<String> publications,
                           boolean autoAcknowledge, String decoder, boolean binary, Set<String> tables,
                           int protocolVersion, Duration statusInterval, int bufferCapacity, String serverName,
                           dev.pgoutput.api.ReconnectPolicy reconnect, long bufferBytes,
                           Duration receiveTimeout, boolean messages, Set<dev.pgoutput.api.Op> skippedOperations,
                           String origin, boolean streaming, boolean parallelStreaming, boolean twoPhase,
                           java.nio.file.Path spillDirectory, long spillMemory, boolean deliverUncommitted,
                           boolean deliverOnPrepare,
                           java.util.function.Consumer<dev.pgoutput.api.TransactionOutcome> outcomes) {
}
