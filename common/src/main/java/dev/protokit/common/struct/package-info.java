/**
 * Python {@code struct} format strings over {@link java.nio.ByteBuffer} and {@code byte[]}:
 * {@link dev.protokit.common.struct.Struct} compiles a format such as {@code "!HH4s"} once and
 * packs and unpacks with CPython 3.11's bytes, values and error messages, so wire layouts can
 * be written the way RFCs and Python tools describe them and checked against Python itself.
 */
package dev.protokit.common.struct;
