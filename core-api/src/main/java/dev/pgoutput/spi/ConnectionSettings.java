package dev.pgoutput.spi;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how to connect: a builder's {@code connectionUri(...)} arrives here already parsed into these
 * fields. {@link #toString()} never shows the password.
 *
 * @param host           server host
 * @param port           server port
 * @param database       database name
 * @param user           user name
 * @param password       password, may be null
 * @param properties     extra driver properties, for example {@code sslmode}, {@code sslrootcert}
 * @param connectTimeout how long to wait for a connection
 */
public record ConnectionSettings(String host, int port, String database, String user, String password,
                                 Map<String, String> properties, Duration connectTimeout) {

    /** Copies the properties. */
    public ConnectionSettings {
        properties = Map.copyOf(properties);
    }

    @Override
    public String toString() {
        return "ConnectionSettings[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password == null ? "<none>" : "******")
                + ", properties=" + properties.keySet() + ", connectTimeout=" + connectTimeout + "]";
    }

    /** Hides a password in a URI's user-info part or {@code password=} parameter. */
    public static String redactUri(String uri) {
        String redacted = uri.replaceAll("(?i)(password=)[^&]*", "$1******");
        int scheme = redacted.indexOf("://");
        int at = redacted.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            int colon = redacted.indexOf(':', scheme + 3);
            if (colon > 0 && colon < at) {
                redacted = redacted.substring(0, colon + 1) + "******" + redacted.substring(at);
            }
        }
        return redacted;
    }
}
