package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.tftp.wire.ErrorCode;
import dev.protokit.tftp.wire.TftpException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemapRulesTest {

    private static RemapRules rules(String... lines) {
        return RemapRules.parse(List.of(lines));
    }

    @Test
    void replacesFirstMatchWithBackReferences() {
        var r = rules("# PXE clients ask for a per-arch prefix", "r ^pxe/(x86|arm)/(.*) boot/\\1-\\2");
        assertEquals("boot/arm-linux", r.apply("pxe/arm/linux", Direction.GET));
        assertEquals("other", r.apply("other", Direction.GET));
    }

    @Test
    void globalFlagReplacesEveryMatch() {
        var r = rules("rg \\\\ /   # backslashes from Windows clients become slashes");
        assertEquals("a/b/c", r.apply("a\\b\\c", Direction.GET));
    }

    @Test
    void ignoreCaseAndWholeMatch() {
        var r = rules("ri ^BOOT lower-\\0");
        assertEquals("lower-Boot.img", r.apply("Boot.img", Direction.GET));
    }

    @Test
    void endFlagStopsAfterAMatch() {
        var r = rules("re ^a b", "r ^b c");
        assertEquals("b", r.apply("a", Direction.GET));
        assertEquals("c", r.apply("b", Direction.GET));
    }

    @Test
    void abortRuleRefusesWithAccessViolation() {
        var r = rules("a \\.iso$");
        var e = assertThrows(TftpException.class, () -> r.apply("big.iso", Direction.GET));
        assertEquals(ErrorCode.ACCESS_VIOLATION, e.code());
    }

    @Test
    void directionFlagsLimitARule() {
        var r = rules("rP ^(.*)$ uploads/\\1", "aG ^secret");
        assertEquals("uploads/x", r.apply("x", Direction.PUT));
        assertEquals("x", r.apply("x", Direction.GET));
        assertEquals("uploads/secret", r.apply("secret", Direction.PUT));
        assertThrows(TftpException.class, () -> r.apply("secret", Direction.GET));
    }

    @Test
    void refusesUnsupportedFlagsEscapesAndBadRegexesWithTheLineNumber() {
        var flag = assertThrows(IllegalArgumentException.class, () -> rules("", "s ^a b"));
        assertTrue(flag.getMessage().startsWith("remap line 2: unsupported flag 's'"), flag.getMessage());
        var escape = assertThrows(IllegalArgumentException.class, () -> rules("r ^a \\i"));
        assertTrue(escape.getMessage().contains("unsupported escape"), escape.getMessage());
        var group = assertThrows(IllegalArgumentException.class, () -> rules("r ^(a) \\2"));
        assertTrue(group.getMessage().contains("1 groups"), group.getMessage());
        var regex = assertThrows(IllegalArgumentException.class, () -> rules("r ([ x"));
        assertTrue(regex.getMessage().contains("bad regex"), regex.getMessage());
        var fields = assertThrows(IllegalArgumentException.class, () -> rules("r onlyregex"));
        assertTrue(fields.getMessage().contains("wants 3 fields"), fields.getMessage());
    }

    @Test
    void refusesRunawayGrowth() {
        var r = rules("rg . xxxxxxxxxx", "rg . xxxxxxxxxx");
        var e = assertThrows(TftpException.class, () -> r.apply("a".repeat(100), Direction.GET));
        assertEquals(ErrorCode.ACCESS_VIOLATION, e.code());
    }

    @Test
    void dollarSignsInReplacementsAreLiteral() {
        assertEquals("$1x", rules("r ^a $1x").apply("a", Direction.GET));
    }
}
