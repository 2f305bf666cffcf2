package dev.protokit.common.daemon;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses sizes the way operators write them: bytes, or a number with K, M or G (powers of
 * 1024): {@code 1048576}, {@code 512K}, {@code 64M}, {@code 2G}. Zero and up; {@link Positive}
 * for flags where zero makes no sense (a rate).
 */
public class SizeConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        return parse(text, 0);
    }

    /** A size of at least one byte. */
    public static final class Positive extends SizeConverter {
        @Override
        public Long convert(String text) {
            return parse(text, 1);
        }
    }

    /** Parses {@code text}, refusing values below {@code min} or above {@code Long.MAX_VALUE} as a usage error. */
    public static long parse(String text, long min) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        int suffix = t.isEmpty() ? -1 : "KMG".indexOf(t.charAt(t.length() - 1));
        if (suffix >= 0) {
            unit = 1L << (10 * (suffix + 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n < min || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a size" + (min > 0 ? " of at least " + min : "")
                    + " (examples: 1048576, 512K, 100M, 2G)");
        }
    }
}
