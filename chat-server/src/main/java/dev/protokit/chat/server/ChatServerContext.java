package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.store.SqliteChatStore;
import java.util.Objects;

/** What every listener needs: the core, the store (for credentials) and the configuration. */
public record ChatServerContext(ChatCore core, SqliteChatStore store, ChatServerConfig config) {
    public ChatServerContext {
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(config, "config");
    }
}
