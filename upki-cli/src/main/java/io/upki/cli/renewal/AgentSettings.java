package io.upki.cli.renewal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upki.cli.context.CliContext;
import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The agent's validated configuration, from the command line and an optional JSON file: the RA, the CA
 * certificate that must sign the RA's and the new certificates, and the pairs with their commands. Every
 * problem is found here, before the agent starts, and is the only reason it exits non-zero.
 *
 * <p>The file ({@code --config}): {@code {"ra": URL, "cacert": FILE, "exec": [argv], "pairs": [{"cert": FILE,
 * "key": FILE, "exec": [argv]}]}}; a pair without {@code exec} takes the top-level one. Unknown keys are refused.
 */
public record AgentSettings(URI ra, Path caCert, List<RenewalAgent.Watch> watches) {

    /** The JSON file as written. */
    record FileForm(@JsonProperty("ra") String ra, @JsonProperty("cacert") String caCert,
                    @JsonProperty("exec") List<String> exec, @JsonProperty("pairs") List<PairForm> pairs) {
    }

    record PairForm(@JsonProperty("cert") String cert, @JsonProperty("key") String key,
                    @JsonProperty("exec") List<String> exec) {
    }

    /** A pair from the command line. */
    public record CliPair(String cert, String key) {
    }

    /**
     * @param ra {@code --ra}, or null to take the file's
     * @param caCert {@code --cacert}, or null (the file's, else ca.crt)
     * @param exec {@code --exec} split on spaces (no shell), or null
     * @throws CliException USAGE or LOCAL_FILE with the reason
     */
    public static AgentSettings resolve(CliContext context, String ra, String caCert, String exec, List<CliPair> pairs,
                                        String config) {
        FileForm file = config == null ? new FileForm(null, null, null, List.of()) : read(context.resolve(config));
        Path base = config == null ? context.workDir() : context.resolve(config).getParent();
        String raText = ra != null ? ra : file.ra();
        if (raText == null || raText.isBlank()) {
            throw CliException.usage("the agent needs the RA: --ra https://HOST:PORT (or \"ra\" in --config)");
        }
        URI raUri;
        try {
            raUri = URI.create(raText.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--ra '" + raText + "' is not a URL");
        }
        if (!"https".equalsIgnoreCase(raUri.getScheme()) || raUri.getHost() == null) {
            throw CliException.usage("--ra must be an https:// URL with a host, such as https://upki-ra:8443");
        }
        Path ca = caCert != null ? context.resolve(caCert)
                : file.caCert() != null ? base.resolve(file.caCert()).normalize() : context.resolve("ca.crt");
        if (!Files.isReadable(ca)) {
            throw new CliException(ExitCode.LOCAL_FILE, "--cacert " + ca + " cannot be read");
        }
        List<String> defaultExec = exec != null ? argv(exec) : file.exec() == null ? List.of() : checkArgv(file.exec());
        List<RenewalAgent.Watch> watches = new ArrayList<>();
        for (CliPair p : pairs) {
            watches.add(new RenewalAgent.Watch(pair(context.resolve(p.cert()), context.resolve(p.key())), defaultExec));
        }
        for (PairForm p : file.pairs() == null ? List.<PairForm>of() : file.pairs()) {
            if (p == null || p.cert() == null || p.key() == null) {
                throw CliException.usage("--config " + config + ": every pair needs \"cert\" and \"key\"");
            }
            List<String> pairExec = p.exec() == null ? defaultExec : checkArgv(p.exec());
            watches.add(new RenewalAgent.Watch(pair(base.resolve(p.cert()).normalize(), base.resolve(p.key()).normalize()),
                    pairExec));
        }
        if (watches.isEmpty()) {
            throw CliException.usage("nothing to watch: give --cert FILE --key FILE (repeatable) or --config FILE");
        }
        List<Path> seen = new ArrayList<>();
        for (RenewalAgent.Watch w : watches) {
            if (seen.contains(w.pair().cert()) || seen.contains(w.pair().key())) {
                throw CliException.usage(w.pair().cert() + " is watched twice");
            }
            seen.add(w.pair().cert());
            seen.add(w.pair().key());
        }
        return new AgentSettings(raUri, ca, watches);
    }

    /** The pair must exist, hold a certificate and its key, and the key must be private to its owner. */
    private static WatchedPair pair(Path cert, Path key) {
        WatchedPair pair = new WatchedPair(cert, key);
        try {
            pair.load();
            if (Files.getPosixFilePermissions(key).stream().anyMatch(p -> p.name().startsWith("GROUP")
                    || p.name().startsWith("OTHERS"))) {
                throw new CliException(ExitCode.LOCAL_FILE, key + " is readable by others: chmod 600 it (the agent writes 0600 keys)");
            }
            if (!Files.isWritable(cert.toAbsolutePath().getParent()) || !Files.isWritable(key.toAbsolutePath().getParent())) {
                throw new CliException(ExitCode.LOCAL_FILE, "cannot write beside " + cert + " and " + key
                        + ": the agent replaces them by renaming");
            }
        } catch (IOException e) {
            throw CliException.localFile("cannot read the pair " + cert + " / " + key, e);
        } catch (IllegalArgumentException e) {
            throw CliException.localFile(e.getMessage(), e);
        }
        return pair;
    }

    private static FileForm read(Path file) {
        try {
            return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readString(file), FileForm.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CliException.usage("--config " + file + " is not a valid agent configuration: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw CliException.localFile("--config " + file, e);
        }
    }

    /** {@code --exec "nginx -s reload"}: split on whitespace, no shell, no quoting. */
    static List<String> argv(String exec) {
        return checkArgv(Arrays.stream(exec.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    }

    private static List<String> checkArgv(List<String> argv) {
        if (argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
            throw CliException.usage("--exec needs a command, e.g. --exec \"systemctl reload nginx\"");
        }
        if (argv.stream().anyMatch(a -> a == null)) {
            throw CliException.usage("--exec: an argument is null");
        }
        return List.copyOf(argv);
    }
}
