package dev.protokit.rendezvous.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The 4096 code words (12 bits each), loaded once from {@code words.txt} beside this class:
 * the 4-to-7-letter words of the EFF large wordlist, chosen for being easy to read aloud and
 * type. Checked at load: exactly 4096, distinct, lower-case letters only.
 */
final class CodeWords {
    static final int EXPECTED = 4096;
    private static final List<String> WORDS = load();
    private static final Set<String> SET = new HashSet<>(WORDS);

    private CodeWords() {}

    static int size() {
        return WORDS.size();
    }

    static String word(int index) {
        return WORDS.get(index);
    }

    static boolean contains(String word) {
        return SET.contains(word);
    }

    private static List<String> load() {
        try (InputStream in = CodeWords.class.getResourceAsStream("words.txt")) {
            if (in == null) {
                throw new ExceptionInInitializerError("words.txt is missing from the rendezvous jar");
            }
            List<String> words = new ArrayList<>(EXPECTED);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (!line.matches("[a-z]{4,7}")) {
                    throw new ExceptionInInitializerError("bad code word '" + line + "'");
                }
                words.add(line);
            }
            if (words.size() != EXPECTED || new HashSet<>(words).size() != EXPECTED) {
                throw new ExceptionInInitializerError("words.txt must hold " + EXPECTED + " distinct words");
            }
            return List.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
