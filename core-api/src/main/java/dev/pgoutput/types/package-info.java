/**
 * How PostgreSQL values become Java values: built-in type OIDs and the conversions from the text (and,
 * later, binary) forms that pgoutput sends. Shared by every decoder and serializer so that they agree.
 */
package dev.pgoutput.types;
