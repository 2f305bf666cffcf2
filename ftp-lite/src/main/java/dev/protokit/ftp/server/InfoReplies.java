package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.FtpCommand;
import dev.protokit.ftp.wire.FtpException;
import dev.protokit.ftp.wire.ListingFormat;
import dev.protokit.ftp.wire.Reply;
import dev.protokit.ftp.wire.ReplyCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The replies that describe the server: FEAT, SYST, HELP, OPTS and STAT without a path. */
final class InfoReplies {
    private InfoReplies() {}

    /** RFC 2389 section 3.2: one feature per line, each indented by one space. */
    static Reply feat(SessionState state) {
        List<String> features = List.of("AUTH TLS", "EPRT", "EPSV", "MDTM", "MFMT", ListingFormat.mlstFeature(state.mlstFacts), "PASV",
                "PBSZ", "PROT", "REST STREAM", "SIZE", "TVFS", "UTF8");
        return Reply.multi(ReplyCode.SYSTEM_STATUS, "Features:", features, "End");
    }

    /** "UNIX Type: L8" makes clients expect ls-style LIST output, which is what they get. */
    static Reply syst() {
        return Reply.of(ReplyCode.SYSTEM_TYPE, "UNIX Type: L8");
    }

    static Reply help(String argument) {
        if (!argument.isBlank()) {
            return FtpCommand.of(argument.strip())
                    .map(c -> Reply.of(ReplyCode.HELP, "Command " + c.verb() + " is implemented."))
                    .orElseThrow(() -> new FtpException(ReplyCode.NOT_IMPLEMENTED, "Unknown command."));
        }
        var lines = new ArrayList<String>();
        FtpCommand[] all = FtpCommand.values();
        for (int i = 0; i < all.length; i += 8) {
            lines.add(String.join(" ", Arrays.stream(all, i, Math.min(all.length, i + 8))
                    .map(c -> String.format("%-4s", c.verb())).toList()));
        }
        return Reply.multi(ReplyCode.HELP, "The following commands are recognized.", lines, "Help OK.");
    }

    /** RFC 2640 / draft-ietf-ftpext-utf-8-option: UTF-8 is always on; OPTS UTF8 ON says so. */
    static Reply opts(String argument, SessionState state) {
        String a = argument.strip().toUpperCase(Locale.ROOT);
        if (a.equals("MLST") || a.startsWith("MLST ")) {
            state.mlstFacts = ListingFormat.parseFactSelection(a.substring(4));
            return Reply.of(ReplyCode.COMMAND_OK, ListingFormat.factSelectionText(state.mlstFacts));
        }
        if (a.equals("UTF8 ON") || a.equals("UTF8") || a.equals("UTF-8 ON")) {
            return Reply.of(ReplyCode.COMMAND_OK, "Always in UTF8 mode.");
        }
        if (a.startsWith("UTF8")) {
            throw new FtpException(ReplyCode.PARAMETER_NOT_IMPLEMENTED, "UTF8 cannot be turned off.");
        }
        throw new FtpException(ReplyCode.ARGUMENT_ERROR, "Option not understood.");
    }

    static Reply status(SessionState state, boolean tls) {
        var lines = new ArrayList<String>();
        lines.add("Connected to " + state.local.getHostAddress() + " from " + state.peer.getAddress().getHostAddress());
        state.account.ifPresentOrElse(a -> lines.add("Logged in as " + a.name() + (a.canWrite() ? "" : " (read-only)")),
                () -> lines.add("Not logged in"));
        lines.add("TYPE: " + (state.ascii ? "ASCII" : "BINARY") + ", MODE: Stream, STRU: File");
        lines.add("Control connection: " + (tls ? "TLS" : "plain") + ", data: " + (state.protectData ? "private" : "clear"));
        return Reply.multi(ReplyCode.SYSTEM_STATUS, "protokit ftp-lite status:", lines, "End of status.");
    }

    static Reply transferStatus(Transfer transfer) {
        return Reply.of(ReplyCode.FILE_STATUS, "Transferring " + transfer.description() + ": " + transfer.bytes() + " bytes so far.");
    }
}
