package dev.pgoutput.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed {@code postgresql://user:password@host:port/database?key=value} URI. Accepts the
 * {@code postgres://} and {@code jdbc:postgresql://} spellings; user and password are percent-decoded.
 * Errors never repeat the password.
 */
record ConnectionUri(String host, int port, String database, String user, String password,
                     Map<String, String> parameters) {

    static ConnectionUri parse(String uri) {
        String rest;
        if (uri.startsWith("jdbc:postgresql://")) {
            rest = uri.substring("jdbc:postgresql://".length());
        } else if (uri.startsWith("postgresql://")) {
            rest = uri.substring("postgresql://".length());
        } else if (uri.startsWith("postgres://")) {
            rest = uri.substring("postgres://".length());
        } else {
            throw new ConfigurationException("connectionUri must start with postgresql://, postgres:// or "
                    + "jdbc:postgresql://, got: " + dev.pgoutput.spi.ConnectionSettings.redactUri(uri));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String pair : rest.substring(query + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                parameters.put(key, value);
            }
            rest = rest.substring(0, query);
        }
        String user = parameters.remove("user");
        String password = parameters.remove("password");
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                password = decode(userInfo.substring(colon + 1));
            }
        }
        String database = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = decode(rest.substring(slash + 1));
            rest = rest.substring(0, slash);
        }
        String host = rest;
        int port = 5432;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && !rest.endsWith("]")) {
            host = rest.substring(0, colon);
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigurationException("connectionUri has an invalid port: "
                        + dev.pgoutput.spi.ConnectionSettings.redactUri(uri));
            }
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (database == null || database.isEmpty()) {
            throw new ConfigurationException("connectionUri must name a database (postgresql://host:port/database): "
                    + dev.pgoutput.spi.ConnectionSettings.redactUri(uri));
        }
        if (user == null || user.isEmpty()) {
            throw new ConfigurationException("connectionUri must name a user (postgresql://user@host/database), "
                    + "or set user(...): " + dev.pgoutput.spi.ConnectionSettings.redactUri(uri));
        }
        return new ConnectionUri(host, port, database, user, password, parameters);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ConnectionUri[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=******]";
    }
}
