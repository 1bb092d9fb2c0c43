package io.upki.pki.options;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --version} of every upki command: the command's name, the Implementation-Version of the jar
 * holding it (the Maven project version), and the Java runtime. Run from classes rather than a jar, the
 * version pki-common was built with stands in.
 */
public final class ProcessVersion implements CommandLine.IVersionProvider {
    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() throws IOException {
        CommandSpec root = spec.root();
        String name = root.name().startsWith("upki") ? root.name() : "upki " + root.name();
        return new String[] {name + " " + version(root.userObject().getClass()) + " (Java " + Runtime.version() + ")"};
    }

    /** The Implementation-Version of {@code type}'s jar, else pki-common's build version, else "dev". */
    static String version(Class<?> type) throws IOException {
        String fromJar = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        if (fromJar != null) {
            return fromJar;
        }
        Properties p = new Properties();
        try (InputStream in = ProcessVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return p.getProperty("version", "dev");
    }
}
