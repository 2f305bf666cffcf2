/**
 * Mail notifications: when an account with an e-mail address receives a direct message or a
 * mention while offline, an item goes into the outbox table of the chat database; a sender
 * thread turns each account's pending items into one digest mail per interval
 * (multipart/alternative, plain text and HTML) and sends it over SMTP with jakarta.mail (Angus).
 * An unreachable or refusing server delays mail with backoff; nothing is lost, chat never waits.
 */
package dev.protokit.chat.mail;
