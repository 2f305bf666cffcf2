/** Helpers for pure wire codecs: enum lookup tables keyed by wire value. */
package dev.protokit.common.wire;
