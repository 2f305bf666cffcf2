package dev.protokit.ftp.server;

import dev.protokit.common.daemon.DaemonLauncher;

/** {@code ftp-lite-server}: runs {@link FtpServerCommand} and exits with its status. */
public final class FtpServerMain {
    private FtpServerMain() {}

    public static void main(String[] args) {
        System.exit(DaemonLauncher.run(new FtpServerCommand(), args));
    }
}
