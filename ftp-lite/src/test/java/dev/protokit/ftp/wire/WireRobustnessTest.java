package dev.protokit.ftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated command lines (every byte value, Telnet IAC, verbs near real ones) through
 * the parser and the address codecs: the only failure allowed is an {@link FtpException} with a
 * 5xx code, whose reply can be sent as is. A seeded generator keeps failures reproducible.
 */
class WireRobustnessTest {
    private static final int ROUNDS = 50_000;
    private static final String[] SEEDS = {"PORT 127,0,0,1,117,48", "EPRT |2|::1|30000|", "EPRT |1|10.0.0.1|21|",
        "RETR a/b/c.txt", "\u00ff\u00f4\u00ffABOR", "EPSV ALL", "STOR r\u00c3\u00a9sum\u00c3\u00a9", "TYPE A N", "USER x"};

    @Test
    void parserThrowsOnlyFtpExceptions() {
        fuzz(line -> {
            try {
                Command c = CommandParser.parse(line);
                assertTrue(c.verb().argument() != FtpCommand.Argument.REQUIRED || c.hasArgument());
            } catch (FtpException e) {
                check(e);
            }
        });
    }

    @Test
    void addressCodecsThrowOnlyFtpExceptions() {
        fuzz(line -> {
            String arg = line.length() > 5 ? line.substring(5) : line;
            for (Consumer<String> codec : java.util.List.<Consumer<String>>of(DataAddressCodec::parsePort,
                    DataAddressCodec::parseEprt, DataAddressCodec::parseEpsv)) {
                try {
                    codec.accept(arg);
                } catch (FtpException e) {
                    check(e);
                }
            }
        });
    }

    private static void check(FtpException e) {
        assertEquals(5, e.code().value() / 100, e.getMessage());
        assertTrue(!e.reply().encode().isEmpty());
    }

    /** Runs {@code target} on random lines and on seeds with random byte mutations. */
    private static void fuzz(Consumer<String> target) {
        var random = new Random(0x5EED);
        for (int i = 0; i < ROUNDS; i++) {
            String line = i % 2 == 0 ? randomLine(random) : mutate(SEEDS[random.nextInt(SEEDS.length)], random);
            target.accept(line);
        }
    }

    private static String randomLine(Random random) {
        var sb = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append((char) random.nextInt(256));
        }
        return sb.toString();
    }

    private static String mutate(String seed, Random random) {
        var sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && !sb.isEmpty(); i++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.setCharAt(at, (char) random.nextInt(256));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, (char) random.nextInt(256));
            }
        }
        return sb.toString();
    }
}
