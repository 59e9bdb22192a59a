/**
 * Service provider interfaces: decoders, transports and serializers are found with
 * {@link java.util.ServiceLoader}, the way JDBC finds drivers. Providers register both in
 * {@code module-info.java} ({@code provides … with …}) and in {@code META-INF/services}.
 */
package dev.pgoutput.spi;
