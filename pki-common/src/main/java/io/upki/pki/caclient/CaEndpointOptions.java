package io.upki.pki.caclient;

import picocli.CommandLine.Option;

/**
 * The picocli mixin every process uses to name its CA, or an active/standby CA pair, the same way:
 * {@code --ca tcp://a:5000,tcp://b:5000} (env {@code UPKI_CA}).
 */
public final class CaEndpointOptions {
    /** The variable read when {@code --ca} is absent. */
    public static final String ENV = "UPKI_CA";

    @Option(names = "--ca", defaultValue = "${env:UPKI_CA}", paramLabel = "tcp://HOST:PORT[,...]",
            description = "The CA's operations endpoint, or an active/standby pair tcp://a:5000,tcp://b:5000 "
                    + "tried in order (env UPKI_CA); registration is each port + 1, the event feed each port + 2.")
    String ca;

    /** The value given (flag or UPKI_CA), or null. */
    public String given() {
        return ca == null || ca.isBlank() ? null : ca;
    }

    /**
     * The validated endpoints: {@code --ca} (or UPKI_CA) when given, else {@code fallback} (a process's
     * older option or variable, or its default).
     *
     * @throws IllegalArgumentException with a one-line reason for a malformed list
     */
    public CaEndpoints endpoints(String fallback) {
        String value = given();
        if (value != null) {
            return CaEndpoints.parse(value, "--ca (" + ENV + ")");
        }
        return CaEndpoints.parse(fallback, "--ca");
    }
}
