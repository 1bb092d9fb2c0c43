package io.upki.cli.context;

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

    /** A file operation that failed: {@code what} and the reason in words, e.g. "no such file". */
    public static CliException localFile(String what, java.io.IOException cause) {
        return new CliException(ExitCode.LOCAL_FILE, what + ": " + reason(cause), cause);
    }

    /** Why a file operation failed, in words rather than an exception class name. */
    public static String reason(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        String m = e.getMessage();
        return m == null ? "input/output error" : m.lines().findFirst().orElse(m);
    }
}
