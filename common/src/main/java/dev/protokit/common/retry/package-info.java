/** Retry policy shared by clients and daemons: {@link dev.protokit.common.retry.Backoff}. */
package dev.protokit.common.retry;
