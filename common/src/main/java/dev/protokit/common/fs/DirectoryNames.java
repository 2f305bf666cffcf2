package dev.protokit.common.fs;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The names in an open directory, read with {@code getdents64(2)} into one 32 KiB buffer at a
 * time. Names that are not valid UTF-8 are left out: no client could name them back (FTP paths
 * are UTF-8, RFC 2640; TFTP names ASCII), and a lossy decoding would name another file.
 */
final class DirectoryNames {
    private static final int DIRENTS = 32 * 1024;

    private DirectoryNames() {}

    static List<String> read(Libc.Call call, int fd, String path) throws Throwable {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        MemorySegment buffer = call.arena.allocate(DIRENTS, 8);
        var out = new ArrayList<String>();
        while (true) {
            long n = ConfinedDirectory.check(call.getdents64(fd, buffer), path);
            if (n == 0) {
                return out;
            }
            for (long at = 0; at < n; ) {
                // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name
                int length = Short.toUnsignedInt(buffer.get(JAVA_SHORT, at + 16));
                long name = at + 19;
                long end = name;
                while (end < at + length && buffer.get(JAVA_BYTE, end) != 0) {
                    end++;
                }
                byte[] bytes = buffer.asSlice(name, end - name).toArray(JAVA_BYTE);
                at += length;
                try {
                    String s = decoder.decode(ByteBuffer.wrap(bytes)).toString();
                    if (!s.equals(".") && !s.equals("..")) {
                        out.add(s);
                    }
                } catch (CharacterCodingException e) {
                    // not UTF-8: left out (see the class comment)
                }
            }
        }
    }
}
