package dev.protokit.ftp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void singleLine() {
        assertEquals("200 Command okay.\r\n", Reply.of(ReplyCode.COMMAND_OK).encode());
    }

    @Test
    void multiLineIndentsInnerLinesSoDigitsCannotEndTheReply() {
        Reply r = Reply.multi(ReplyCode.SYSTEM_STATUS, "Features:", List.of("UTF8", "211 fake end"), "End");
        assertEquals("211-Features:\r\n UTF8\r\n 211 fake end\r\n211 End\r\n", r.encode());
    }

    @Test
    void refusesCrOrLfInAnyLine() {
        assertThrows(IllegalArgumentException.class, () -> Reply.of(ReplyCode.COMMAND_OK, "ok\r\n230 forged"));
        assertThrows(IllegalArgumentException.class,
                () -> Reply.multi(ReplyCode.HELP, "a", List.of("b\nc"), "d"));
    }

    @Test
    void quotesPathsPerRfc959AppendixII() {
        assertEquals("\"/a \"\"b\"\"\"", Reply.quotePath("/a \"b\""));
    }

    @Test
    void replyCodesAreUniqueAndLookedUp() {
        for (ReplyCode c : ReplyCode.values()) {
            assertEquals(c, ReplyCode.of(c.value()).orElseThrow());
        }
        assertEquals(true, ReplyCode.FILE_STATUS_OK.isPreliminary());
        assertEquals(true, ReplyCode.NOT_LOGGED_IN.isFailure());
    }

    @Test
    void exceptionCarriesCodeAndReply() {
        var e = new FtpException(ReplyCode.FILE_UNAVAILABLE, "No such file.");
        assertEquals("550 No such file.\r\n", e.reply().encode());
        assertEquals("FILE_UNAVAILABLE(550) No such file.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FtpException(ReplyCode.COMMAND_OK, "not a failure"));
    }
}
