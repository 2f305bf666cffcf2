package dev.protokit.ftp.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One FTP reply: a code and one or more lines of text. RFC 959 section 4.2 puts a multi-line
 * reply on the wire like this (the text of inner lines is indented by one space so that a line
 * starting with digits can never be taken for the last one):
 *
 * <pre>
 * 211-Features:\r\n        first line: code, '-', text
 *  UTF8\r\n                inner lines: ' ', text
 *  MLST type*;size*;\r\n
 * 211 End\r\n              last line: code, ' ', text
 * </pre>
 */
public record Reply(ReplyCode code, List<String> lines) {

    /** Validates that there is at least one line and that no line contains CR or LF. */
    public Reply {
        Objects.requireNonNull(code, "code");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply line contains CR or LF (reply injection): " + code);
            }
        }
    }

    /** A single-line reply. */
    public static Reply of(ReplyCode code, String text) {
        return new Reply(code, List.of(text));
    }

    /** A single-line reply with the code's default text. */
    public static Reply of(ReplyCode code) {
        return of(code, code.defaultText());
    }

    /** A multi-line reply: {@code first}, then each of {@code inner}, then {@code last}. */
    public static Reply multi(ReplyCode code, String first, List<String> inner, String last) {
        var all = new ArrayList<String>(inner.size() + 2);
        all.add(first);
        all.addAll(inner);
        all.add(last);
        return new Reply(code, all);
    }

    /** The wire lines without CRLF, as {@link #lines()} are laid out per RFC 959 section 4.2. */
    public List<String> wireLines() {
        int value = code.value();
        if (lines.size() == 1) {
            return List.of(value + " " + lines.getFirst());
        }
        var out = new ArrayList<String>(lines.size());
        out.add(value + "-" + lines.getFirst());
        for (int i = 1; i < lines.size() - 1; i++) {
            out.add(" " + lines.get(i));
        }
        out.add(value + " " + lines.getLast());
        return out;
    }

    /** The whole reply as it goes on the wire, each line ending in CRLF. */
    public String encode() {
        var sb = new StringBuilder();
        for (String line : wireLines()) {
            sb.append(line).append("\r\n");
        }
        return sb.toString();
    }

    /**
     * Quotes a path for a 257 reply (RFC 959 Appendix II): enclosed in double quotes, with each
     * embedded double quote doubled.
     */
    public static String quotePath(String path) {
        return '"' + path.replace("\"", "\"\"") + '"';
    }
}
