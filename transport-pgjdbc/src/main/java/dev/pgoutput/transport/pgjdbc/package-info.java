/**
 * The pgjdbc transport. Applications do not use these classes directly: the reader finds the
 * transport with {@link java.util.ServiceLoader}.
 */
package dev.pgoutput.transport.pgjdbc;
