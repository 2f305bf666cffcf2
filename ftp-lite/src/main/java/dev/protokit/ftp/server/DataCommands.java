package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.DataAddressCodec;
import dev.protokit.ftp.wire.DataAddressCodec.EpsvRequest;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Data-connection setup: TYPE, MODE, STRU, PASV, EPSV, PORT, EPRT and REST. PORT and EPRT are
 * accepted only towards the client's own address and ports of 1024 and up: anything else would
 * make this server attack a third party for the client (the "FTP bounce", RFC 2577).
 */
final class DataCommands {
    private final ServerContext context;
    private final SessionState state;

    DataCommands(ServerContext context, SessionState state) {
        this.context = context;
        this.state = state;
    }

    /** RFC 959 4.1.2: A and I (L 8 is I); A may carry the N format; EBCDIC and others are 504. */
    Reply type(String argument) {
        switch (argument.strip().toUpperCase(Locale.ROOT).replaceAll(" +", " ")) {
            case "A", "A N" -> state.ascii = true;
            case "I", "L 8" -> state.ascii = false;
            case "E", "E N", "A T", "A C", "E T", "E C" ->
                    throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only TYPE A and I are supported.");
            default -> throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Unrecognised TYPE.");
        }
        return Reply.of(ReplyCode.COMMAND_OK, state.ascii ? "Switching to ASCII mode." : "Switching to Binary mode.");
    }

    Reply mode(String argument) {
        return only(argument, "S", "MODE", "Mode set to S.");
    }

    Reply stru(String argument) {
        return only(argument, "F", "STRU", "Structure set to F.");
    }

    Reply pasv() {
        refuseAfterEpsvAll("PASV");
        InetAddress advertised = context.config.passiveAddress().orElse(state.local);
        if (!(advertised instanceof Inet4Address v4)) {
            throw new FtpException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED, "PASV is IPv4 only; use EPSV.");
        }
        int port = listen();
        return Reply.of(ReplyCode.PASSIVE, DataAddressCodec.formatPasv(v4, port));
    }

    /** RFC 2428 section 3; "EPSV ALL" (section 4) makes PORT, EPRT and PASV refused from then on. */
    Reply epsv(String argument) {
        EpsvRequest request = DataAddressCodec.parseEpsv(argument);
        boolean v6 = state.local instanceof Inet6Address;
        switch (request) {
            case ALL -> {
                state.epsvAll = true;
                return Reply.of(ReplyCode.COMMAND_OK, "EPSV ALL ok.");
            }
            case IPV4, IPV6 -> {
                if ((request == EpsvRequest.IPV6) != v6) {
                    throw new FtpException(ReplyCode.NETWORK_PROTOCOL_NOT_SUPPORTED,
                            "Network protocol not supported, use (" + (v6 ? 2 : 1) + ").");
                }
            }
            case ANY -> { }
        }
        return Reply.of(ReplyCode.EXTENDED_PASSIVE, DataAddressCodec.formatEpsv(listen()));
    }

    Reply port(String argument) {
        refuseAfterEpsvAll("PORT");
        return active(DataAddressCodec.parsePort(argument), "PORT");
    }

    Reply eprt(String argument) {
        refuseAfterEpsvAll("EPRT");
        return active(DataAddressCodec.parseEprt(argument), "EPRT");
    }

    /** RFC 3659 section 5: the byte offset the next RETR or STOR starts at. */
    Reply rest(String argument) {
        String a = argument.strip();
        long offset;
        try {
            offset = Long.parseLong(a);
        } catch (NumberFormatException e) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "REST needs a byte offset.", e);
        }
        if (offset < 0 || !a.chars().allMatch(Character::isDigit)) {
            throw new FtpException(ReplyCode.ARGUMENT_ERROR, "REST needs a non-negative byte offset.");
        }
        state.restOffset = offset;
        return Reply.of(ReplyCode.PENDING, "Restarting at " + offset + ". Send STOR or RETR.");
    }

    private Reply active(InetSocketAddress target, String verb) {
        // RFC 2577: never connect to a third party on the client's behalf.
        if (!target.getAddress().equals(state.peer.getAddress())) {
            throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED,
                    "Illegal " + verb + ": data connections go to your own address only.");
        }
        if (target.getPort() < 1024) {
            throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Illegal " + verb + ": port below 1024 refused.");
        }
        state.route(Optional.of(new DataRoute.Active(target, state.local)));
        return Reply.of(ReplyCode.COMMAND_OK, verb + " command successful. Consider using EPSV.");
    }

    private int listen() {
        state.route(Optional.empty()); // a session's earlier listener is not counted against its own address
        DataRoute.Passive route = context.openPassive(state.local, state.peer.getAddress());
        state.route(Optional.of(route));
        return route.listener().socket().getLocalPort();
    }

    private void refuseAfterEpsvAll(String verb) {
        if (state.epsvAll) {
            throw new FtpException(ReplyCode.BAD_SEQUENCE, verb + " refused after EPSV ALL.");
        }
    }

    private static Reply only(String argument, String supported, String verb, String ok) {
        String a = argument.strip().toUpperCase(Locale.ROOT);
        if (a.equals(supported)) {
            return Reply.of(ReplyCode.COMMAND_OK, ok);
        }
        if (a.length() == 1 && Character.isLetter(a.charAt(0))) {
            throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "Only " + verb + " " + supported + " is supported.");
        }
        throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Unrecognised " + verb + ".");
    }
}
