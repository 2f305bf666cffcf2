/** Protocol-agnostic pieces every protokit module shares. */
package dev.protokit.common;
