package dev.protokit.chat.client;

import dev.protokit.chat.server.NativeFixtures;
import dev.protokit.common.auth.KeyFileWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** bin/chat run in-process, and the key files it reads, for the client's tests. */
final class ChatCli {
    private ChatCli() {
    }

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = ChatMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code dir/ACCOUNT.key} for {@code account} of {@code chat}, written on first use. */
    static Path keyFile(Path dir, NativeFixtures.Handle chat, String account) {
        Path file = dir.resolve(account + ".key");
        if (!Files.exists(file)) {
            KeyFileWriter.write(file, chat.account(account), KeyFileWriter.Mode.CREATE_NEW);
        }
        return file;
    }
}
