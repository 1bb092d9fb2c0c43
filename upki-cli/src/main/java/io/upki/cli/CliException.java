package io.upki.cli;

/** The one error a command raises: what to print on stderr (one line) and which exit code to return. */
public final class CliException extends RuntimeException {
    private final ExitCode exitCode;

    public CliException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    public static CliException localFile(String message, Throwable cause) {
        return new CliException(ExitCode.LOCAL_FILE, message, cause);
    }
}
