package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.store.SqliteChatStore;
import java.util.Objects;

/**
 * What every listener needs: the core, the store (for credentials), the configuration and the
 * login guard shared by all listeners (failed logins delayed and locked out per address and account),
 * and what each account has stored in attachments (one quota across the listeners).
 */
public record ChatServerContext(ChatCore core, SqliteChatStore store, ChatServerConfig config, LoginGuard logins,
                                AttachmentUsage attachmentUsage) {
    public ChatServerContext {
        Objects.requireNonNull(attachmentUsage, "attachmentUsage");
        Objects.requireNonNull(logins, "logins");
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(config, "config");
    }
}
