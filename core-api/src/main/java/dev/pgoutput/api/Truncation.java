package dev.pgoutput.api;

/**
 * How a table was truncated, on an {@link Op#TRUNCATE} event: {@code TRUNCATE … CASCADE} and
 * {@code TRUNCATE … RESTART IDENTITY}. One statement over several tables gives one event per table, each
 * with the statement's options. Java only: Debezium's truncate events carry no such fields, so the JSON
 * does not either.
 *
 * @param cascade         the statement said CASCADE
 * @param restartIdentity the statement said RESTART IDENTITY (sequences owned by the table were reset)
 */
public record Truncation(boolean cascade, boolean restartIdentity) {
}
