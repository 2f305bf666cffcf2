package dev.protokit.chat.server;

import dev.protokit.common.daemon.DaemonLauncher;

/** {@code chat-server}: runs {@link ChatServerCommand} and exits with its status. */
public final class ChatServerMain {
    private ChatServerMain() {}

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new ChatServerCommand(), args));
    }
}
