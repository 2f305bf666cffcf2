package dev.protokit.chat.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Composes one digest: {@code multipart/alternative} with a {@code text/plain} and a
 * {@code text/html} part, both UTF-8, listing each item's time, sender, room (or "direct
 * message") and the first lines of its text, and ending with how to stop these mails. Every
 * piece of user text is HTML-escaped in the HTML part; nothing from a message reaches a header
 * except through jakarta.mail's RFC 2047 encoding of the subject.
 */
final class DigestMail {
    /** Longest excerpt of one message, in characters. */
    static final int EXCERPT_CHARS = 300;
    private static final int WRAP = 72;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private DigestMail() {
    }

    static MimeMessage compose(Session session, MailSettings settings, String account, String address,
                               List<DigestItem> items, Instant now) throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(settings.from(), true));
        mail.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(address, true));
        mail.setSubject("[" + settings.serverName() + "] " + items.size()
                + (items.size() == 1 ? " message" : " messages") + " while you were away", "UTF-8");
        mail.setSentDate(Date.from(now));
        // RFC 3834: machine-generated, so vacation responders do not answer it.
        mail.setHeader("Auto-Submitted", "auto-generated");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(plain(settings.serverName(), account, address, items), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(html(settings.serverName(), account, address, items), "UTF-8", "html");
        // RFC 2046 5.1.4: alternatives in increasing faithfulness, plain text first.
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mail.setContent(alternative);
        mail.saveChanges();
        return mail;
    }

    static String plain(String server, String account, String address, List<DigestItem> items) {
        StringBuilder out = new StringBuilder();
        out.append("Hello ").append(account).append(",\n\nwhile you were offline on ").append(server)
                .append(" you received:\n\n");
        for (DigestItem item : items) {
            out.append("  ").append(TIME.format(item.time())).append("  ").append(item.from())
                    .append(item.room().map(r -> " in #" + r + " (mentioned you)").orElse(", direct message"))
                    .append(":\n");
            for (String line : wrap(excerpt(item.text()))) {
                out.append("    ").append(line).append('\n');
            }
            out.append('\n');
        }
        out.append("Log in to read and answer them.\n\n-- \n").append(stopLine(server, account, address)).append('\n');
        return out.toString();
    }

    static String html(String server, String account, String address, List<DigestItem> items) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(server)).append("</title></head>\n<body>\n<p>Hello ").append(escape(account))
                .append(",</p>\n<p>while you were offline on ").append(escape(server)).append(" you received:</p>\n<ul>\n");
        for (DigestItem item : items) {
            out.append("<li><p><strong>").append(escape(item.from())).append("</strong> ")
                    .append(item.room().map(r -> "in <strong>#" + escape(r) + "</strong> (mentioned you)")
                            .orElse("(direct message)"))
                    .append(", <time datetime=\"").append(item.time()).append("\">").append(TIME.format(item.time()))
                    .append("</time></p>\n<blockquote>").append(escape(excerpt(item.text()))).append("</blockquote></li>\n");
        }
        out.append("</ul>\n<p>Log in to read and answer them.</p>\n<hr>\n<p><small>")
                .append(escape(stopLine(server, account, address))).append("</small></p>\n</body></html>\n");
        return out.toString();
    }

    /** The line that says why the mail came and how to stop it. */
    static String stopLine(String server, String account, String address) {
        return "You get this digest because the account " + account + " on " + server + " has the address "
                + address + ". To stop these mails, ask the server's operator to remove it "
                + "(chat-server account email " + account + " --clear).";
    }

    /** The start of {@code text}: at most {@link #EXCERPT_CHARS} characters, cut at a word, with an ellipsis. */
    static String excerpt(String text) {
        if (text.length() <= EXCERPT_CHARS) {
            return text;
        }
        int cut = text.lastIndexOf(' ', EXCERPT_CHARS);
        int end = cut > EXCERPT_CHARS / 2 ? cut : EXCERPT_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + " …";
    }

    /** Minimal HTML escaping for text and attribute values (OWASP rule 1). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > WRAP) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
