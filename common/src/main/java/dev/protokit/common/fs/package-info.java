/**
 * Confined file access for the file servers (FTP homes, the TFTP root): {@link
 * dev.protokit.common.fs.ConfinedRoot} resolves every path beneath a directory descriptor and
 * acts on what it found in the same step ({@code openat2(RESOLVE_BENEATH)} through the
 * foreign-function API, or a component-by-component walk where that call is missing), so a
 * symbolic link swapped between a check and a use can never lead outside.
 */
package dev.protokit.common.fs;
