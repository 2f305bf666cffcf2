package dev.protokit.rendezvous.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionCodeTest {
    @Test
    void parsesWhatPeopleTypeIntoTheNormalForm() {
        assertEquals("7-scenic-harbor", SessionCode.parse("7-scenic-harbor").toString());
        assertEquals("7-scenic-harbor", SessionCode.parse("  7 Scenic--HARBOR\n").toString());
        assertEquals(List.of("scenic", "harbor"), SessionCode.parse("7 scenic harbor").words());
    }

    @Test
    void rejectsTyposAndShapesWithOneLineReasons() {
        assertEquals("'scenc' is not a code word (a typo?)",
                assertThrows(IllegalArgumentException.class, () -> SessionCode.parse("7-scenc-harbor")).getMessage());
        assertEquals("a code looks like 7-scenic-harbor: 'scenic'",
                assertThrows(IllegalArgumentException.class, () -> SessionCode.parse("scenic")).getMessage());
        assertEquals("a code starts with its number, like 7-scenic-harbor: 'x-scenic-harbor'",
                assertThrows(IllegalArgumentException.class, () -> SessionCode.parse("x-scenic-harbor")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionCode.parse("0-scenic-harbor"));
        assertThrows(IllegalArgumentException.class, () -> SessionCode.parse("1000000-scenic-harbor"));
        assertThrows(IllegalArgumentException.class, () -> SessionCode.parse("7-a-b-c-d-e"));
    }

    @Test
    void generatedCodesUseTheListAndParseBack() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            SessionCode code = SessionCode.generate(random, 999, 2);
            assertTrue(code.number() >= 1 && code.number() <= 999);
            assertEquals(code, SessionCode.parse(code.toString()));
            seen.add(code.toString());
        }
        assertTrue(seen.size() > 190, "codes are random: " + seen.size() + " distinct of 200");
    }

    @Test
    void twoWordsCarryTwentyFourBits() {
        assertEquals(4096, CodeWords.size());
        assertEquals(24.0, SessionCode.parse("7-scenic-harbor").secretBits(), 1e-9);
    }
}
