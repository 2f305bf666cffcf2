package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --attachment-quota} and {@code --max-attachment} take sizes as operators write them. */
class AttachmentFlagsTest {
    @TempDir
    Path state;

    @Test
    void theQuotaTakesSizesDefaultsTo256MiBAndRefusesNegatives() {
        assertEquals(256L << 20, flags().attachmentQuota());
        assertEquals(1L << 30, flags("--attachment-quota", "1G").attachmentQuota());
        assertEquals(0, flags("--attachment-quota", "0").attachmentQuota());
        assertThrows(CommandLine.ParameterException.class, () -> flags("--attachment-quota", "-1"));
        assertThrows(CommandLine.ParameterException.class, () -> flags("--max-attachment", "lots"));
        flags("--max-attachment", "16M"); // parses
    }

    private ChatServerConfig flags(String... args) {
        var command = new ChatServerCommand();
        var all = new ArrayList<>(List.of("--state-dir", state.toString(), "--irc-tls-port", "0"));
        all.addAll(List.of(args));
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        return command.config();
    }
}
