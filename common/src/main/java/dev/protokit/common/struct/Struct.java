package dev.protokit.common.struct;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled Python {@code struct} format: {@code Struct.compile("!H%dsb5sb".formatted(n))}
 * parses once, then packs and unpacks with the same bytes, values and error messages as
 * CPython 3.11 on x86_64 Linux (see docs/struct.md for the codes and the value mapping).
 * Immutable and thread-safe; share instances freely. Method names are Java's spelling of
 * Python's: {@code pack_into} is {@link #packInto}, {@code unpack_from} {@link #unpackFrom},
 * {@code iter_unpack} {@link #iterUnpack}, {@code calcsize} {@link #calcsize} and {@link #size}.
 *
 * <p>A {@link ByteBuffer} argument stands for its bytes from index 0 to its limit, like a Python
 * buffer object: offsets are absolute indexes, and the buffer's position and byte order are
 * neither used nor changed (use {@link ByteBuffer#slice()} to work on part of a buffer).
 *
 * <p>Values: integer codes unpack to {@link Long} ({@link java.math.BigInteger} for unsigned
 * 8-byte values of 2**63 or more) and pack from any integral {@code Number} or {@code Boolean};
 * {@code e f d} unpack to {@link Double} and pack from any {@code Number}; {@code ?} unpacks to
 * {@link Boolean} and packs by Python truthiness; {@code c s p} unpack to {@code byte[]} and pack
 * from {@code byte[]}. Every failure is a {@link StructException}.
 */
public final class Struct {

    private static final int CACHE_LIMIT = 256;
    private static final ConcurrentHashMap<String, Struct> CACHE = new ConcurrentHashMap<>();

    private final String format;
    private final Field[] fields;
    private final int size;
    private final int itemCount;

    private Struct(String format, FormatParser.Layout layout) {
        this.format = format;
        this.fields = layout.fields();
        this.size = layout.size();
        this.itemCount = layout.itemCount();
    }

    /** Python's {@code struct.Struct(format)}; recently used formats come from a small cache. */
    public static Struct compile(String format) {
        Objects.requireNonNull(format, "format");
        Struct cached = CACHE.get(format);
        if (cached != null) {
            return cached;
        }
        Struct struct = new Struct(format, FormatParser.parse(format));
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear(); // Python's struct module does the same with its cache
        }
        CACHE.put(format, struct);
        return struct;
    }

    /** Python's {@code struct.calcsize(format)}: the bytes {@code format} packs to. */
    public static int calcsize(String format) {
        return compile(format).size;
    }

    /** The format string this was compiled from (Python's {@code Struct.format}). */
    public String format() {
        return format;
    }

    /** Bytes packed or unpacked (Python's {@code Struct.size}), alignment padding included. */
    public int size() {
        return size;
    }

    /** Values {@link #pack} takes and {@link #unpack} returns; pad bytes count none, {@code 10s} one. */
    public int itemCount() {
        return itemCount;
    }

    /** Python's {@code pack(v1, v2, ...)}: a new array of {@link #size()} bytes. */
    public byte[] pack(Object... values) {
        checkCount("pack", values);
        byte[] out = new byte[size];
        Packer.pack(fields, size, ByteBuffer.wrap(out), 0, values, true);
        return out;
    }

    /**
     * Python's {@code pack_into(buffer, offset, v1, v2, ...)}: writes {@link #size()} bytes at
     * {@code offset}, which counts from the limit when negative. On a failing value the bytes
     * before it are written, as in CPython.
     */
    public void packInto(ByteBuffer buffer, int offset, Object... values) {
        Objects.requireNonNull(buffer, "buffer");
        checkCount("pack_into", values);
        if (buffer.isReadOnly()) {
            throw new StructException("argument must be read-write bytes-like object, not read-only ByteBuffer");
        }
        long limit = buffer.limit();
        long at = offset;
        if (at < 0) {
            if (at + size > 0) {
                throw new StructException("no space to pack %d bytes at offset %d".formatted(size, at));
            }
            at = fromEnd(at, limit);
        }
        if (limit - at < size) {
            throw new StructException(("pack_into requires a buffer of at least %d bytes for packing %d bytes"
                    + " at offset %d (actual buffer size is %d)").formatted(size + at, size, at, limit));
        }
        Packer.pack(fields, size, buffer, (int) at, values, false);
    }

    /** {@link #packInto(ByteBuffer, int, Object...)} into an array, as Python does with a bytearray. */
    public void packInto(byte[] buffer, int offset, Object... values) {
        packInto(ByteBuffer.wrap(Objects.requireNonNull(buffer, "buffer")), offset, values);
    }

    /** Python's {@code unpack(buffer)}: the buffer must be exactly {@link #size()} bytes. */
    public StructTuple unpack(ByteBuffer buffer) {
        if (Objects.requireNonNull(buffer, "buffer").limit() != size) {
            throw new StructException("unpack requires a buffer of %d bytes".formatted(size));
        }
        return Unpacker.unpack(fields, itemCount, buffer, 0);
    }

    /** Python's {@code unpack(bytes)}: the array must be exactly {@link #size()} bytes. */
    public StructTuple unpack(byte[] buffer) {
        return unpack(ByteBuffer.wrap(Objects.requireNonNull(buffer, "buffer")));
    }

    /**
     * Python's {@code unpack_from(buffer, offset)}: reads {@link #size()} bytes at {@code offset}
     * (from the limit when negative); bytes after them are ignored.
     */
    public StructTuple unpackFrom(ByteBuffer buffer, int offset) {
        long limit = Objects.requireNonNull(buffer, "buffer").limit();
        long at = offset;
        if (at < 0) {
            if (at + size > 0) {
                throw new StructException("not enough data to unpack %d bytes at offset %d".formatted(size, at));
            }
            at = fromEnd(at, limit);
        }
        if (limit - at < size) {
            throw new StructException(("unpack_from requires a buffer of at least %d bytes for unpacking %d bytes"
                    + " at offset %d (actual buffer size is %d)").formatted(size + at, size, at, limit));
        }
        return Unpacker.unpack(fields, itemCount, buffer, (int) at);
    }

    /** Python's {@code unpack_from(buffer)}: {@link #unpackFrom(ByteBuffer, int)} at offset 0. */
    public StructTuple unpackFrom(ByteBuffer buffer) {
        return unpackFrom(buffer, 0);
    }

    /** {@link #unpackFrom(ByteBuffer, int)} over an array. */
    public StructTuple unpackFrom(byte[] buffer, int offset) {
        return unpackFrom(ByteBuffer.wrap(Objects.requireNonNull(buffer, "buffer")), offset);
    }

    /** {@link #unpackFrom(ByteBuffer, int)} over an array at offset 0. */
    public StructTuple unpackFrom(byte[] buffer) {
        return unpackFrom(buffer, 0);
    }

    /**
     * Python's {@code iter_unpack(buffer)}: one tuple per {@link #size()} bytes, read lazily as
     * the iterator advances. The buffer's length must be a multiple of the size.
     */
    public Iterator<StructTuple> iterUnpack(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (size == 0) {
            throw new StructException("cannot iteratively unpack with a struct of length 0");
        }
        if (buffer.limit() % size != 0) {
            throw new StructException("iterative unpacking requires a buffer of a multiple of %d bytes".formatted(size));
        }
        int end = buffer.limit();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public StructTuple next() {
                if (next >= end) {
                    throw new NoSuchElementException();
                }
                StructTuple tuple = Unpacker.unpack(fields, itemCount, buffer, next);
                next += size;
                return tuple;
            }
        };
    }

    /** {@link #iterUnpack(ByteBuffer)} over an array. */
    public Iterator<StructTuple> iterUnpack(byte[] buffer) {
        return iterUnpack(ByteBuffer.wrap(Objects.requireNonNull(buffer, "buffer")));
    }

    private void checkCount(String operation, Object[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != itemCount) {
            throw new StructException("%s expected %d items for packing (got %d)"
                    .formatted(operation, itemCount, values.length));
        }
    }

    /** A negative offset counted back from the end of a buffer of {@code limit} bytes. */
    private static long fromEnd(long offset, long limit) {
        if (offset + limit < 0) {
            throw new StructException("offset %d out of range for %d-byte buffer".formatted(offset, limit));
        }
        return offset + limit;
    }

    @Override
    public String toString() {
        return "Struct('" + format + "')";
    }
}
