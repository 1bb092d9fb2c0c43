package io.upki.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the Maven project version, filtered into {@code upki-cli.properties} at build time. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/upki-cli.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"upki-cli " + p.getProperty("version", "dev") + " (Java " + Runtime.version() + ")"};
    }
}
