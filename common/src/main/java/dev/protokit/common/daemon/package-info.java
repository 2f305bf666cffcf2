/**
 * The daemon runtime every protokit server shares: the core command-line flags, binding with
 * clear errors, TCP and UDP listen loops with a virtual thread per session, connection limits,
 * idle and handshake timeouts, failure throttling, one log line per session, and an orderly
 * stop on SIGTERM.
 */
package dev.protokit.common.daemon;
