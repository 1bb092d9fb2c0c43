package io.upki.ca.authority;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir} (env {@code UPKI_DATA_DIR}): the CA directory every ca-server command works in. */
public final class DataDirOptions {
    @Option(names = "--data-dir", defaultValue = "${env:UPKI_DATA_DIR:-${sys:user.home}/.upki/ca}",
            description = "CA data directory (env UPKI_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    public Path dataDir() {
        return dataDir;
    }

    /** The directory's files, whether or not a CA is there yet. */
    public CaFiles files() {
        return new CaFiles(dataDir);
    }

    /** The files of the CA made here by {@code ca-server init}. @throws IllegalArgumentException when there is none */
    public CaFiles existing() {
        CaFiles files = files();
        if (!Files.exists(files.caCertificate())) {
            throw new IllegalArgumentException("no CA in " + dataDir + ": run ca-server init first");
        }
        return files;
    }
}
