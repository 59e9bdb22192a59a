/**
 * Debezium 3.6.1's schemas and value representation for PostgreSQL change events, independent of Kafka Connect:
 * an immutable schema model ({@link dev.pgoutput.schema.DebeziumSchema}), the per-column type mapping honouring
 * Debezium's handling modes ({@link dev.pgoutput.schema.ColumnMappings}, {@link dev.pgoutput.schema.SchemaOptions})
 * with the catalog facts it needs ({@link dev.pgoutput.schema.ColumnDefinition}), and the fixed event schemas
 * ({@link dev.pgoutput.schema.EventSchemas}). The Kafka Connect connector renders it as Connect schemas; a JSON
 * writer with schemas can render the same model, so the mapping is written once.
 */
package dev.pgoutput.schema;
