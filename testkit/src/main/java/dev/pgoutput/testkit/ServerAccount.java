package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operating-system account that runs {@code initdb}, {@code postgres} and {@code pg_ctl}.
 *
 * <p>PostgreSQL refuses to run as root. When the JVM is root, the tools are started through
 * {@code setpriv} as an unprivileged account ({@code nobody} unless the system property
 * {@value #RUN_AS_PROPERTY} names another), and the files the server writes are handed to that
 * account. Otherwise the tools run as the JVM's own user.
 *
 * @param userName the account name, for messages
 * @param uid numeric user id to switch to, or -1 to stay the current user
 * @param gid numeric group id to switch to, or -1 to stay the current user
 */
record ServerAccount(String userName, int uid, int gid) {

    /** System property naming the account to run as when the JVM is root. */
    static final String RUN_AS_PROPERTY = "pgoutput.testkit.runAs";

    private static final List<Path> SETPRIV_LOCATIONS =
            List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"), Path.of("/usr/sbin/setpriv"));

    /** Chooses the account for this JVM. */
    static ServerAccount forCurrentProcess() {
        if (!runningAsRoot()) {
            return new ServerAccount(System.getProperty("user.name"), -1, -1);
        }
        String name = System.getProperty(RUN_AS_PROPERTY, "nobody");
        PasswdEntry entry =
                PasswdEntry.lookup(name)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "The JVM runs as root, which PostgreSQL refuses, and the account '"
                                                        + name + "' to run it as is not in /etc/passwd; set -D"
                                                        + RUN_AS_PROPERTY + "=<user>"));
        if (entry.uid() == 0) {
            throw new IllegalStateException(RUN_AS_PROPERTY + " names a root account: " + name);
        }
        return new ServerAccount(name, entry.uid(), entry.gid());
    }

    /** Whether the tools run under another account than the JVM's. */
    boolean switchesUser() {
        return uid >= 0;
    }

    /** Prefixes a command so that it runs as this account. */
    List<String> command(List<String> command) {
        if (!switchesUser()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>();
        wrapped.add(setpriv().toString());
        wrapped.add("--reuid=" + uid);
        wrapped.add("--regid=" + gid);
        wrapped.add("--clear-groups");
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * A process builder for {@code command} with an environment that cannot steer the tools
     * elsewhere: {@code PG*} variables (PGDATA, PGPORT, …) are removed, the locale is C and HOME is
     * {@code home}, since {@code nobody}'s home directory does not exist.
     */
    ProcessBuilder processBuilder(List<String> command, Path home) {
        ProcessBuilder builder = new ProcessBuilder(command(command));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("LC_"));
        environment.put("LANG", "C");
        environment.put("LC_ALL", "C");
        environment.put("HOME", home.toString());
        builder.directory(home.toFile());
        return builder;
    }

    /** Makes this account the owner of {@code root} and everything below it. */
    void takeOwnership(Path root) {
        if (!switchesUser()) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + root + " to " + userName, e);
        }
    }

    /**
     * Fails early, with a hint, when this account could not reach {@code path} because a parent
     * directory denies others the right to traverse it (a cache under /root, for example).
     */
    void requireReachable(Path path) {
        if (!switchesUser()) {
            return;
        }
        for (Path dir = path.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.exists(dir)) {
                continue; // will be created by the test kit, open to others
            }
            try {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException(
                            path + " is not reachable by the account " + userName + " that runs PostgreSQL: "
                                    + dir + " is not world-executable. Use -D" + PostgresInstallation.CACHE_PROPERTY
                                    + " or -Djava.io.tmpdir with a world-accessible directory such as /tmp.");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path setpriv() {
        return SETPRIV_LOCATIONS.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "The JVM runs as root, which PostgreSQL refuses; the test kit needs setpriv "
                                                + "(util-linux) to start it as another user, and found none in "
                                                + SETPRIV_LOCATIONS));
    }

    private static boolean runningAsRoot() {
        try {
            // /proc/self belongs to the effective user of the process that looks at it.
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** One line of /etc/passwd, enough to switch to the account. */
    private record PasswdEntry(String name, int uid, int gid) {

        static Optional<PasswdEntry> lookup(String name) {
            try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
                return lines
                        .map(line -> line.split(":", -1))
                        .filter(fields -> fields.length >= 4 && fields[0].equals(name))
                        .map(f -> new PasswdEntry(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3])))
                        .findFirst();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read /etc/passwd", e);
            }
        }
    }
}
