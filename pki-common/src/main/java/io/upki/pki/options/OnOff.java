package io.upki.pki.options;

import picocli.CommandLine;

/** Reads a switch option spelled {@code on} or {@code off}, refusing anything else in one line. */
public final class OnOff implements CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        return parse(value);
    }

    /** {@code on} is true, {@code off} false (any case, trimmed). */
    public static boolean parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new CommandLine.TypeConversionException("on or off, not '" + value + "'");
        };
    }

    /**
     * {@link #parse(String)} for a value read after parsing (a default from the environment, say).
     *
     * @throws IllegalArgumentException {@code name: on or off, not 'value'}
     */
    public static boolean parse(String name, String value) {
        try {
            return parse(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }
}
