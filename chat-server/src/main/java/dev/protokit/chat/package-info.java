/**
 * chat-server: one chat core (rooms, accounts, presence, history) behind two listeners, the
 * native {@code protokit-chat/1} protocol and IRC. Sub-packages: {@code irc} and {@code wire}
 * (pure codecs), {@code core}, {@code store}, {@code mail}, {@code server}, {@code client}.
 */
package dev.protokit.chat;
