package dev.protokit.chat.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.IntConsumer;

/**
 * Sends composed mails over SMTP with jakarta.mail (Angus), one connection per batch. STARTTLS
 * is required when asked for (a server that does not offer it fails, rather than the password
 * going out in clear: RFC 3207 downgrade), implicit TLS uses {@code smtps}, and in both cases
 * the server's certificate must match its name. Every exchange has a timeout, so a server that
 * accepts and then stalls cannot hold the sender thread for ever.
 */
final class SmtpTransport {
    private final MailSettings settings;
    private final Session session;
    private final String protocol;

    SmtpTransport(MailSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.protocol = settings.security() == MailSettings.SmtpSecurity.IMPLICIT ? "smtps" : "smtp";
        this.session = Session.getInstance(properties(settings, protocol));
    }

    /** The session mails are composed in. */
    Session session() {
        return session;
    }

    /**
     * Connects, sends each mail to its recipients, calling {@code onSent} with the index of each
     * one the server accepted, and disconnects. A mail the server refuses does not stop the others
     * (one bad address must not hold up everyone's digest); the first failure is thrown at the end.
     */
    void send(List<MimeMessage> mails, IntConsumer onSent) throws MessagingException {
        char[] password = settings.password().orElse(null);
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(settings.host(), settings.port(), settings.user().orElse(null),
                    password == null ? null : new String(password));
            MessagingException first = null;
            for (int i = 0; i < mails.size(); i++) {
                try {
                    transport.sendMessage(mails.get(i), mails.get(i).getAllRecipients());
                    onSent.accept(i);
                } catch (MessagingException e) {
                    if (!transport.isConnected()) {
                        throw e;
                    }
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** {@code host:port} and the protection, for log lines (never the login). */
    String describe() {
        return settings.host() + ":" + settings.port() + " (" + settings.security().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private static Properties properties(MailSettings settings, String protocol) {
        String p = "mail." + protocol + ".";
        String millis = Long.toString(settings.timeout().toMillis());
        Properties props = new Properties();
        props.setProperty(p + "host", settings.host());
        props.setProperty(p + "port", Integer.toString(settings.port()));
        props.setProperty(p + "connectiontimeout", millis);
        props.setProperty(p + "timeout", millis);
        props.setProperty(p + "writetimeout", millis);
        props.setProperty(p + "from", settings.from());
        props.setProperty(p + "auth", Boolean.toString(settings.user().isPresent()));
        switch (settings.security()) {
            case STARTTLS -> {
                props.setProperty(p + "starttls.enable", "true");
                props.setProperty(p + "starttls.required", "true");
                props.setProperty(p + "ssl.checkserveridentity", "true");
                props.setProperty(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
            }
            case IMPLICIT -> {
                props.setProperty(p + "ssl.enable", "true");
                props.setProperty(p + "ssl.checkserveridentity", "true");
                props.setProperty(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
            }
            case NONE -> props.setProperty(p + "starttls.enable", "false");
        }
        return props;
    }
}
