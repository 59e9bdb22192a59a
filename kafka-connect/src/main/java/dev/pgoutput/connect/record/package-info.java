/**
 * Debezium-identical Connect records from change events: {@link dev.pgoutput.connect.record.RecordMaker} and the
 * catalog reads, schemas and structs it needs (internal to the connector module).
 */
package dev.pgoutput.connect.record;
