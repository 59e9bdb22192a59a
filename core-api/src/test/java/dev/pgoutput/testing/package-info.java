/**
 * The project's shared test fixtures, published as core-api's test-jar (see core-api/pom.xml for why
 * here): {@link dev.pgoutput.testing.PgOutputBytes}, the one fluent writer of wire bytes;
 * {@link dev.pgoutput.testing.PgOutputEncoder}, from the {@code dev.pgoutput.protocol} records to those
 * bytes; {@link dev.pgoutput.testing.PgOutputGenerator} (with {@link dev.pgoutput.testing.Names} and
 * {@link dev.pgoutput.testing.TupleBuilder}), seeded sessions of valid records in server order;
 * {@link dev.pgoutput.testing.Samples}, one hand-written message of every layout; and
 * {@link dev.pgoutput.testing.Mutator}, which breaks them. Nothing here depends on a decoder or on JUnit,
 * and it compiles for Java 17 like the portable decoder whose tests use it.
 *
 * <pre>{@code
 * // An engine test: a valid session as records (no decoder needed), and as wire payloads.
 * PgOutputGenerator.Session session = new PgOutputGenerator(new SplittableRandom(seed), 4).session();
 * PgOutputEncoder encoder = new PgOutputEncoder();
 * for (PgOutputMessage m : session.messages()) {
 *     byte[] payload = encoder.encode(m).bytes();   // the xid appears inside Stream Start … Stop
 * }
 * TupleData row = new TupleBuilder(new SplittableRandom(1), 2)
 *         .value(TupleData.TEXT, "42".getBytes(UTF_8)).nullValue().build();
 * }</pre>
 */
package dev.pgoutput.testing;
