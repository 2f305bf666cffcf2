package dev.protokit.ftp.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Codecs for the arguments and replies that name data-connection addresses. Pure: address
 * literals are parsed without name lookups.
 *
 * <pre>
 * PORT h1,h2,h3,h4,p1,p2            RFC 959 4.1.2   address h1.h2.h3.h4, port p1*256+p2
 * 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2).
 * EPRT |af|address|port|            RFC 2428 2      af 1 = IPv4, 2 = IPv6; '|' may be any
 *                                                   printable delimiter, used 4 times
 * EPSV [af | ALL]                   RFC 2428 3
 * 229 Entering Extended Passive Mode (|||port|).
 * </pre>
 */
public final class DataAddressCodec {

    /** What an EPSV argument asks for. */
    public enum EpsvRequest {
        /** No argument: a port on the control connection's protocol. */
        ANY,
        IPV4,
        IPV6,
        /** "EPSV ALL": from now on only EPSV sets up data connections (RFC 2428 section 4). */
        ALL
    }

    private DataAddressCodec() {}

    /** Parses a PORT argument. */
    public static InetSocketAddress parsePort(String argument) {
        String[] fields = argument.strip().split(",", -1);
        if (fields.length != 6) {
            throw bad("PORT needs 6 comma-separated numbers, got " + fields.length);
        }
        int[] n = new int[6];
        for (int i = 0; i < 6; i++) {
            n[i] = parseByte(fields[i], i + 1);
        }
        byte[] ip = {(byte) n[0], (byte) n[1], (byte) n[2], (byte) n[3]};
        return new InetSocketAddress(byAddress(ip), n[4] << 8 | n[5]);
    }

    /** The text of a 227 reply for an IPv4 listener (RFC 959 4.1.2, PASV). */
    public static String formatPasv(Inet4Address address, int port) {
        byte[] ip = address.getAddress();
        return "Entering Passive Mode (%d,%d,%d,%d,%d,%d).".formatted(
                ip[0] & 0xFF, ip[1] & 0xFF, ip[2] & 0xFF, ip[3] & 0xFF, port >> 8, port & 0xFF);
    }

    /** Parses an EPRT argument; an unknown address family is a 522 reply. */
    public static InetSocketAddress parseEprt(String argument) {
        if (argument.length() < 7) {
            throw bad("EPRT argument too short");
        }
        char d = argument.charAt(0);
        if (d < 33 || d > 126) {
            throw bad("EPRT delimiter 0x%02x is not printable".formatted((int) d));
        }
        String[] fields = argument.split(java.util.regex.Pattern.quote(String.valueOf(d)), -1);
        // "|1|a|p|" splits into "", "1", "a", "p", "".
        if (fields.length != 5 || !fields[0].isEmpty() || !fields[4].isEmpty()) {
            throw bad("EPRT needs <d>af<d>address<d>port<d>");
        }
        InetAddress address = switch (fields[1]) {
            case "1" -> parseIpv4(fields[2]);
            case "2" -> parseIpv6(fields[2]);
            default -> throw new FtpException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                    "Network protocol not supported, use (1,2).");
        };
        int port = parseNumber(fields[3], 1, 65535, "EPRT port");
        return new InetSocketAddress(address, port);
    }

    /** Parses an EPSV argument (empty, 1, 2 or ALL); another family is a 522 reply. */
    public static EpsvRequest parseEpsv(String argument) {
        return switch (argument.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "" -> EpsvRequest.ANY;
            case "1" -> EpsvRequest.IPV4;
            case "2" -> EpsvRequest.IPV6;
            case "ALL" -> EpsvRequest.ALL;
            default -> {
                if (argument.strip().chars().allMatch(Character::isDigit)) {
                    throw new FtpException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                            "Network protocol not supported, use (1,2).");
                }
                throw bad("EPSV takes 1, 2 or ALL");
            }
        };
    }

    /** The text of a 229 reply (RFC 2428 section 3). */
    public static String formatEpsv(int port) {
        return "Entering Extended Passive Mode (|||" + port + "|).";
    }

    /** Parses a dotted-quad IPv4 literal without name lookup. */
    static Inet4Address parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw bad("not an IPv4 address");
        }
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) {
            ip[i] = (byte) parseNumber(parts[i], 0, 255, "IPv4 octet");
        }
        return (Inet4Address) byAddress(ip);
    }

    /** Parses an IPv6 literal; only hex digits, ':' and '.' are accepted, so no lookup happens. */
    static Inet6Address parseIpv6(String text) {
        if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0
                || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw bad("not an IPv6 address");
        }
        try {
            InetAddress parsed = InetAddress.getByName(text);
            if (parsed instanceof Inet6Address v6) {
                return v6;
            }
            // An IPv4-mapped literal (::ffff:a.b.c.d) comes back as IPv4; keep the family asked for.
            return Inet6Address.getByAddress(null, mapped(parsed.getAddress()), -1);
        } catch (UnknownHostException e) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Not an IPv6 address.", e);
        }
    }

    private static byte[] mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }

    private static int parseByte(String field, int position) {
        String f = field.strip();
        if (f.isEmpty() || f.length() > 3 || !f.chars().allMatch(Character::isDigit)) {
            throw bad("PORT field " + position + " is not a number");
        }
        int v = Integer.parseInt(f);
        if (v > 255) {
            throw bad("PORT field %d = 0x%08x out of range".formatted(position, v));
        }
        return v;
    }

    private static int parseNumber(String text, int min, int max, String what) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(what + " is not a number");
        }
        int v = Integer.parseInt(text);
        if (v < min || v > max) {
            throw bad("%s 0x%08x out of range %d..%d".formatted(what, v, min, max));
        }
        return v;
    }

    private static InetAddress byAddress(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }

    private static FtpException bad(String message) {
        return new FtpException(ReplyCode.ARGUMENT_ERROR, "Bad argument: " + message + ".");
    }
}
