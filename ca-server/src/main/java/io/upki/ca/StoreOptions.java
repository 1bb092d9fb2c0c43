package io.upki.ca;

import io.upki.ca.store.StoreLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the CA keeps its state ({@code --store}) and the PostgreSQL password, which is read from a file
 * or the environment only: a command line is visible to every user of the machine.
 */
public final class StoreOptions {
    @Option(names = "--store", defaultValue = "${env:UPKI_STORE}",
            description = "Where the CA keeps its state: postgresql://USER@HOST:PORT/DB for a PostgreSQL database "
                    + "(an active/standby CA pair shares one), or nothing for the SQLite file of the data directory "
                    + "(env UPKI_STORE; default SQLite). The password never goes in the URL.")
    String store;

    @Option(names = "--store-password-file", defaultValue = "${env:UPKI_STORE_PASSWORD_FILE}",
            description = "File holding the PostgreSQL password (env UPKI_STORE_PASSWORD_FILE); without it, env "
                    + "PGPASSWORD.")
    Path passwordFile;

    /** The store named by {@code --store}, or the SQLite file {@code sqliteFile}. */
    StoreLocation location(Path sqliteFile) {
        return StoreLocation.parse(store, sqliteFile);
    }

    /** The PostgreSQL password from {@code --store-password-file}, else PGPASSWORD, else null. */
    char[] password() throws IOException {
        if (passwordFile != null) {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        }
        String env = System.getenv("PGPASSWORD");
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }
}
