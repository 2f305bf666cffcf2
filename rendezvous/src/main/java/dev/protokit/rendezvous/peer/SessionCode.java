package dev.protokit.rendezvous.peer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A rendezvous code such as {@code 7-scenic-harbor}. The number names the session on the
 * server and is public; the words are the weak secret the two peers prove to each other with
 * J-PAKE over the punched path, and never leave this process.
 *
 * <p>With the default two words from the 4096 of {@link CodeWords}, the secret has 24 bits:
 * an attacker who joins the session gets one guess (probability 2^-24), after which both peers
 * report a wrong code and the code is burned. An eavesdropper, or the server, learns nothing
 * that lets it test a guess offline (the J-PAKE transcript does not depend on the code in any
 * way a guess could check without taking part).
 *
 * @param number the session number, 1..999999
 * @param words  2..4 words from {@link CodeWords}, lower case
 */
public record SessionCode(int number, List<String> words) {
    /** The number of words a fresh code has. */
    public static final int DEFAULT_WORDS = 2;
    /** The largest session number. */
    public static final int MAX_NUMBER = 999_999;

    /** Checks the number's range and every word against the list. */
    public SessionCode {
        if (number < 1 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("code number must be 1.." + MAX_NUMBER + ": " + number);
        }
        words = List.copyOf(words);
        if (words.size() < 2 || words.size() > 4) {
            throw new IllegalArgumentException("a code has 2 to 4 words after its number, not " + words.size());
        }
        for (String word : words) {
            if (!CodeWords.contains(word)) {
                throw new IllegalArgumentException("'" + word + "' is not a code word (a typo?)");
            }
        }
    }

    /** A fresh code: a random session number below {@code maxNumber} and {@code words} random words. */
    public static SessionCode generate(SecureRandom random, int maxNumber, int words) {
        Objects.requireNonNull(random, "random");
        if (maxNumber < 1 || maxNumber > MAX_NUMBER) {
            throw new IllegalArgumentException("maxNumber must be 1.." + MAX_NUMBER);
        }
        List<String> chosen = new ArrayList<>(words);
        for (int i = 0; i < words; i++) {
            chosen.add(CodeWords.word(random.nextInt(CodeWords.size())));
        }
        return new SessionCode(1 + random.nextInt(maxNumber), chosen);
    }

    /**
     * Parses what a person typed: {@code 7-scenic-harbor}, {@code 7 Scenic Harbor}; case,
     * surrounding blanks and runs of spaces or hyphens do not matter.
     *
     * @throws IllegalArgumentException naming what is wrong, for a one-line usage error
     */
    public static SessionCode parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("[\\s-]+");
        if (parts.length < 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("a code looks like 7-scenic-harbor: '" + text.strip() + "'");
        }
        int number;
        try {
            number = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a code starts with its number, like 7-scenic-harbor: '"
                    + text.strip() + "'", e);
        }
        return new SessionCode(number, List.of(parts).subList(1, parts.length));
    }

    /** The bits of secret in the words. */
    public double secretBits() {
        return words.size() * (Math.log(CodeWords.size()) / Math.log(2));
    }

    /** The J-PAKE password: the whole normalised code. The caller wipes the array after use. */
    char[] password() {
        return toString().toCharArray();
    }

    /** The normalised form, {@code 7-scenic-harbor}. */
    @Override
    public String toString() {
        return number + "-" + String.join("-", words);
    }
}
