package io.upki.cli.context;

/** The documented exit codes of upki-cli (docs/CLI.md), one per kind of failure a script may react to. */
public enum ExitCode {
    OK(0),
    /** The CA or RA answered and refused the request (unknown profile, unknown certificate, not an admin). */
    REFUSED(1),
    /** The command line is wrong: unknown option, missing value, malformed serial, SAN or reason. */
    USAGE(2),
    /** The CA or RA did not answer in time, refused the connection, or failed the TLS handshake. */
    UNREACHABLE(3),
    /** A local file cannot be read or written, or would be overwritten without --force. */
    LOCAL_FILE(4),
    /** An answer failed verification: a CRL not signed by ca.crt, a certificate not matching its key. */
    VERIFICATION(5),
    /** A bug in upki-cli: the message says what failed. */
    INTERNAL(70);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
