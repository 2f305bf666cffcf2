package dev.protokit.common.daemon;

import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints for every protokit binary: the command's name and the release,
 * such as {@code tftp-server 0.1.0}. Name it in {@code @Command(versionProvider = ...)}.
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-FULL-NAME} " + Version.current()};
    }
}
