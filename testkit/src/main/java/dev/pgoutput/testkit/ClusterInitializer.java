package dev.pgoutput.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Creates a fresh data directory with {@code initdb}: UTF8, locale C, trust for Unix-socket
 * connections and SCRAM passwords over TCP, so that tests can check password authentication.
 */
final class ClusterInitializer {

    private ClusterInitializer() {}

    /**
     * Runs initdb; {@code workDirectory} must already belong to the server account and will hold
     * {@code initdb.log}.
     */
    static void initialize(
            PostgresInstallation installation,
            ServerAccount account,
            Path workDirectory,
            Path dataDirectory,
            String superuser,
            String password,
            Duration timeout) {
        Path passwordFile = workDirectory.resolve("pwfile");
        ServerLog log = new ServerLog(workDirectory.resolve("initdb.log"));
        try {
            Files.writeString(
                    Files.createFile(
                            passwordFile,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    password + "\n",
                    StandardCharsets.UTF_8);
            account.takeOwnership(passwordFile);
            List<String> command =
                    List.of(
                            installation.tool("initdb").toString(),
                            "--pgdata=" + dataDirectory,
                            "--username=" + superuser,
                            "--pwfile=" + passwordFile,
                            "--encoding=UTF8",
                            "--locale=C",
                            "--auth-local=trust",
                            // initdb also sets password_encryption to scram-sha-256 for this (12 and 13
                            // default to md5), so the stored password matches the method.
                            "--auth-host=scram-sha-256",
                            // Throwaway clusters need no fsync; this saves most of initdb's time.
                            "--no-sync");
            int exit = ToolRun.logged(account.processBuilder(command, workDirectory), log.file(), timeout);
            if (exit != 0) {
                throw new PostgresStartException(
                        "initdb failed with exit code " + exit + "\n" + log.tail(0));
            }
        } catch (IOException e) {
            throw new PostgresStartException("initdb failed: " + e.getMessage() + "\n" + log.tail(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresStartException("Interrupted while running initdb", e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // The whole work directory is deleted with the server.
            }
        }
    }
}
