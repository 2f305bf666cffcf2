package dev.protokit.chat.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @Test
    void foldsOnlyAsciiLettersUnderAsciiCasemapping() {
        assertEquals("alice[]\\~", Names.fold("ALICE[]\\~"));
        // rfc1459 would fold these; ascii does not, and says so in ISUPPORT.
        assertEquals("{}|^", Names.fold("{}|^"));
        assertEquals("ascii", Names.CASEMAPPING);
        assertEquals("é", Names.fold("é"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Bob_", "[away]", "x-1", "`q", "a23456789012345678901234567890"})
    void acceptsNicks(String nick) {
        assertTrue(Names.isValidNick(nick));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "-ab", "a b", "a,b", "a!b", "a@b", "a:b", "#a", "a.b", "a*", "a\u0000",
        "a\r", "é", "a234567890123456789012345678901"})
    void refusesNicks(String nick) {
        assertFalse(Names.isValidNick(nick));
        var e = assertThrows(ChatException.class, () -> Names.requireNick(nick));
        assertEquals(ChatError.BAD_NAME, e.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"general", "dev.ops", "a", "room_2", "9lives"})
    void acceptsRooms(String room) {
        assertTrue(Names.isValidRoom(room));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#general", "a b", "a,b", ".hidden", "x\u0007", "a:b"})
    void refusesRooms(String room) {
        assertFalse(Names.isValidRoom(room));
    }

    @Test
    void accountNamesAreNicksAndKeyIds() {
        assertTrue(Names.isValidAccount("alice-2"));
        assertFalse(Names.isValidAccount("[alice]"));
        assertFalse(Names.isValidAccount("al.ice"));
    }

    @Test
    void printableHidesControlsAndCuts() {
        assertEquals("a?b", Names.printable("a\rb"));
        assertEquals(64, Names.printable("x".repeat(100)).length());
    }
}
