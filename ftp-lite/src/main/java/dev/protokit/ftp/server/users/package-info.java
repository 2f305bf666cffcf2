/**
 * FTP users: the users file, Argon2id password hashes and the {@code user} subcommand.
 *
 * <h2>The users file</h2>
 * One user per line, fields separated by {@code :}; blank lines and lines starting with
 * {@code #} are comments, kept when the file is rewritten:
 * <pre>
 *  name:phc-hash:home:rw|ro[:bytes-per-second]
 *  alice:$argon2id$v=19$m=19456,t=2,p=1$3vQ1...$Yk9N...:/srv/ftp/alice:rw
 *  guest:$argon2id$v=19$m=19456,t=2,p=1$9aX2...$Qm3c...:pub:ro:262144
 * </pre>
 * <ul>
 *   <li>name: 1-64 characters of {@code A-Z a-z 0-9 . _ -}, not starting with {@code -}; unique.</li>
 *   <li>phc-hash: Argon2id (RFC 9106) in PHC string form, OWASP cost m=19456 KiB, t=2, p=1,
 *       16-byte salt, 32-byte hash; the same string argon2-cffi and libargon2 produce and verify.</li>
 *   <li>home: absolute, or relative to the server's {@code --root}; no {@code :}.</li>
 *   <li>rw allows uploads, deletes, renames and directory creation; ro only reads.</li>
 *   <li>bytes-per-second (optional): a per-session transfer rate limit.</li>
 * </ul>
 * The file must be mode 0600 (or 0400): a server refuses to load one that group or others may
 * read. {@link dev.protokit.ftp.server.users.UserDirectory} re-reads it when its modification
 * time, size or inode changes; {@code ftp-lite-server user add|remove} rewrite it atomically.
 */
package dev.protokit.ftp.server.users;
