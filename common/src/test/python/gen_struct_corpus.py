#!/usr/bin/env python3
"""Writes common/src/test/resources/struct/corpus.jsonl: what CPython's struct module does.

Every case runs through the real `struct` module of the interpreter running this script, and
the outcome (bytes, values, or exception type and message) is recorded; StructCorpusTest
replays each one against dev.protokit.common.struct.Struct. Output is deterministic (seeded
random values, fixed order), so a re-run with the same interpreter gives the same file.

Usage:  /usr/bin/python3 common/src/test/python/gen_struct_corpus.py [OUTPUT]

Format: JSON lines. Line 1 is a header naming the interpreter; each other line is a case:
  {"op": "calcsize"|"pack"|"unpack"|"pack_into"|"unpack_from"|"iter_unpack", "fmt": ...,
   "name": "human-readable", inputs..., then "size"|"bytes"|"values" or "error": {type, message}}
Values are tagged: {"int": "123"} (decimal string), {"float": "3ff0000000000000"} (raw
IEEE bits, so NaN payloads and -0.0 survive), {"bool": true}, {"bytes": "hex"}, {"str": "..."},
{"none": true}, {"list": [...]}.
"""
import json
import math
import os
import platform
import random
import struct
import sys

ORDERS = ['', '@', '=', '<', '>', '!']
INT_CODES = 'bBhHiIlLqQnNP'
ALL_CODES = 'xcbB?hHiIlLqQnNPefdsp'
JAVA_MAX_SIZE = 2**31 - 1  # Java arrays are int-indexed; larger sizes are a documented difference

cases = []
last = {}  # the case record() appended last, or {} when it appended none


def tag(v):
    if isinstance(v, bool):
        return {'bool': v}
    if isinstance(v, int):
        return {'int': str(v)}
    if isinstance(v, float):
        return {'float': struct.pack('>d', v).hex()}
    if isinstance(v, (bytes, bytearray)):
        return {'bytes': bytes(v).hex()}
    if isinstance(v, str):
        return {'str': v}
    if v is None:
        return {'none': True}
    if isinstance(v, (list, tuple)):
        return {'list': [tag(x) for x in v]}
    raise TypeError(type(v))


class Shown(str):
    """Text shown as is in a case name (a stand-in for an argument such as a fresh bytearray)."""

    def __repr__(self):
        return str(self)


def short(v):
    r = repr(v)
    return r if len(r) <= 40 else r[:37] + '...'


def record(op, fmt, inputs, fn, args=()):
    """Runs fn(), records its result or its exception; returns the result (or None)."""
    case = {'op': op, 'fmt': fmt}
    case.update(inputs)
    shown = ', '.join(short(a) for a in args)
    case['name'] = f"{op}({fmt!r}{', ' if shown else ''}{shown})"
    last.clear()
    try:
        result = fn()
    except SystemError:
        return None  # CPython bugs ('0p' unpack); Java's behaviour is covered by unit tests
    except Exception as e:
        case['error'] = {'type': type(e).__name__, 'message': str(e)}
        cases.append(case)
        last.update(case=case)
        return None
    if op == 'calcsize':
        if result > JAVA_MAX_SIZE:
            return None
        case['size'] = result
    elif op in ('pack',):
        case['bytes'] = result.hex()
    elif op == 'pack_into':
        case['bytes'] = result.hex()
    elif op in ('unpack', 'unpack_from'):
        case['values'] = [tag(v) for v in result]
    elif op == 'iter_unpack':
        case['values'] = [[tag(v) for v in t] for t in result]
    cases.append(case)
    last.update(case=case)
    return result


def calcsize(fmt):
    return record('calcsize', fmt, {}, lambda: struct.calcsize(fmt))


def pack(fmt, *args, roundtrip=True):
    packed = record('pack', fmt, {'args': [tag(a) for a in args]}, lambda: struct.pack(fmt, *args), args)
    if packed is not None and roundtrip:
        unpack(fmt, packed)
    return packed


def unpack(fmt, data):
    return record('unpack', fmt, {'buffer': bytes(data).hex()}, lambda: struct.unpack(fmt, data), [bytes(data)])


def pack_into(fmt, size, offset, *args):
    buf = bytearray(b'\xaa' * size)

    def run():
        try:
            struct.pack_into(fmt, buf, offset, *args)
        except Exception as e:
            case_bytes[0] = bytes(buf)  # what CPython left behind, also compared
            raise
        return bytes(buf)
    case_bytes = [None]
    inputs = {'size': size, 'offset': offset, 'args': [tag(a) for a in args]}
    record('pack_into', fmt, inputs, run, [Shown(f'bytearray({size})'), offset, *args])
    if case_bytes[0] is not None and last:
        last['case']['bytes'] = case_bytes[0].hex()


def unpack_from(fmt, data, offset):
    inputs = {'buffer': bytes(data).hex(), 'offset': offset}
    record('unpack_from', fmt, inputs, lambda: struct.unpack_from(fmt, data, offset), [bytes(data), offset])


def iter_unpack(fmt, data):
    record('iter_unpack', fmt, {'buffer': bytes(data).hex()}, lambda: list(struct.iter_unpack(fmt, data)), [bytes(data)])


def sample_value(code, i):
    """A valid value for one item of `code` (the i-th item of a format)."""
    if code in INT_CODES:
        return [1, 100, 7, 65, 3][i % 5] * (-1 if code.islower() and i % 2 else 1)
    return {'c': bytes([65 + i % 26]), '?': i % 2 == 0, 'e': 1.5 + i, 'f': -2.25 * (i + 1),
            'd': math.pi * (i + 1), 's': b'abcdefgh'[:i + 3], 'p': b'xyz'[:i % 4]}[code]


def items_of(fmt):
    """The codes a format's values are for, in order (pad bytes take none, '10s' one)."""
    body = fmt[1:] if fmt[:1] in ('@', '=', '<', '>', '!') else fmt
    items, count = [], ''
    for ch in body:
        if ch.isdigit():
            count += ch
        elif ch.isspace():
            continue
        else:
            n = int(count) if count else 1
            items += [ch] if ch in 'sp' else ([] if ch == 'x' else [ch] * n)
            count = ''
    return items


def gen_calcsize():
    for order in ORDERS:
        for code in ALL_CODES:
            for count in ['', '0', '1', '3', '17']:
                calcsize(order + count + code)
    for a in ALL_CODES:
        for b in ALL_CODES:
            calcsize(a + b)
            calcsize('=' + a + b)
    for fmt in ['', '@', '<', '@bq', 'xh', '@ci', '@b0i', 'iii0q', '@c0d', '@bP', '@?e', '@ee?', 'b0xh',
                '  4h ', '\t<h', '<\th\n\x0bi\x0c\r', 'b\x1cb', '4 h', '4', '<4', 'b4', ' <b', 'b<', '<<b',
                '!>', 'z', 'b z', '@2x3xq', 'q0b', 'sp', '0s0p', '10s5p', '2\u00e9', '\u00e9\u00e9b',
                'b\u20ac', '\U0001f600', 'b\x00b', '\x00', '00009b', '9223372036854775807x',
                '9223372036854775808x', '99999999999999999999b', '4611686018427387904h',
                '2305843009213693951q', '9223372036854775807x1x', '4611686018427387903hb',
                '@1c9223372036854775806x7q', '2147483647x', '2147483648x', '1073741824h',
                '1073741823hx', '536870912i', '@b268435455q', 'P<', '<P', '=n', '>N', '!e', '=?']:
        calcsize(fmt)


def gen_integers(rng):
    edges = [0, 1, -1, 2, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535,
             65536, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32 - 1, 2**32, 2**63 - 1, 2**63,
             -2**63, -2**63 - 1, 2**64 - 1, 2**64, -2**64, 2**100, -2**100, True, False,
             0x0123456789abcdef]
    wrong = [1.0, '1', None, b'\x01', [1]]
    for order in ORDERS:
        for code in INT_CODES:
            fmt = order + code
            for v in edges + wrong + [rng.randrange(-2**64, 2**64) for _ in range(3)]:
                pack(fmt, v)
            pack(order + '3' + code, 1, 2, 3)
            if code in 'nNP' and order not in ('', '@'):
                continue
            n = struct.calcsize(fmt)
            for data in [rng.randbytes(n) for _ in range(3)] + [b'\x00' * 8, b'\xff' * 8,
                                                                  b'\x80' + b'\x00' * 7, b'\x00' * 7 + b'\x80']:
                unpack(fmt, data[:n])


def half_edges():
    values = [0.0, -0.0, 1.0, -1.0, 65504.0, 65519.99, 65520.0, -65520.0, 65536.0, 1e10, 2**-14,
              2**-24, 2**-25, -2**-25, 2**-26, 3 * 2**-26, 5e-324, 1e-300, 2**-25 * (1 + 2**-52),
              0.1, 1 / 3, 2049.0, 2051.0, 4097.0, 4099.0, 6.1e-5, 6.0975e-05]
    # Halfway points between neighbouring halves (normal and subnormal), and one ulp either side.
    for bits in [0x0000, 0x0001, 0x0002, 0x03fe, 0x03ff, 0x0400, 0x0401, 0x3c00, 0x3c01, 0x3bff,
                 0x5000, 0x5001, 0x7bfe, 0x7bff]:
        lo = struct.unpack('<e', struct.pack('<H', bits))[0]
        hi = struct.unpack('<e', struct.pack('<H', bits + 1))[0] if bits < 0x7bff else 65536.0
        mid = (lo + hi) / 2
        values += [mid, math.nextafter(mid, 0), math.nextafter(mid, math.inf), -mid]
    return values


def gen_floats(rng):
    specials = [0.0, -0.0, 1.0, -1.5, math.pi, 1e-300, 5e-324, -5e-324, 1e300, -1e300, math.inf,
                -math.inf, math.nan, -math.nan, 3.4028234663852886e38, 3.4028235677973366e38,
                3.402823567797337e38, 3.4028236e38, 1.401298464324817e-45, 7e-46, 1e-46,
                16777217.0, 0.1, 1, -7, 2**53 + 1, 2**1024, 2**1023, True, False,
                struct.unpack('>d', bytes.fromhex('7ff0000000000001'))[0],
                struct.unpack('>d', bytes.fromhex('fff8000020000001'))[0], '1.0', None, b'\x00']
    for order in ORDERS:
        for code in 'efd':
            for v in specials + [rng.uniform(-1e6, 1e6) for _ in range(4)]:
                pack(order + code, v)
            for _ in range(4):
                unpack(order + code, rng.randbytes(struct.calcsize(order + code)))
    for order in '<>':
        for v in half_edges():
            pack(order + 'e', v)
    for raw in ['7c01', 'fc01', '7e00', 'fe00', '7fff', '7c00', 'fc00', '0001', '8001', '03ff', '0400']:
        unpack('>e', bytes.fromhex(raw))
    for raw in ['7f800001', 'ff812345', '7fc00000', 'ffc00000', '7f800000', '00000001', '80000000']:
        unpack('>f', bytes.fromhex(raw))
    for raw in ['7ff0000000000001', 'fff8000000000000', '7ff8dead0000beef', '0000000000000001']:
        unpack('>d', bytes.fromhex(raw))


def gen_strings():
    for code in 'sp':
        for order in ['', '<']:
            for count in [0, 1, 2, 3, 5, 10, 255, 256, 257, 300] if order == '' else [0, 1, 3]:
                fmt = f'{order}{count}{code}'
                for length in [0, 1, 2, 4, 5, 9, 10, 11, 254, 255, 256, 300]:
                    pack(fmt, bytes((i * 7 + 1) % 256 for i in range(length)))
                for wrong in ['abc', None, 5, [1], bytearray(b'ab')]:
                    pack(fmt, wrong)
    for fmt, data in [('3p', b'\x05ab'), ('3p', b'\xffab'), ('3p', b'\x02ab'), ('3p', b'\x01ab'),
                      ('1p', b'\x05'), ('5p', b'\x00abcd'), ('300p', b'\xff' * 300),
                      ('3s', b'a\x00b'), ('0s', b''), ('2p', b'\x80\x80')]:
        unpack(fmt, data)
    for order in ORDERS:
        for v in [b'a', b'\x00', b'\xff', b'', b'ab', 'a', 97, None]:
            pack(order + 'c', v)
        for v in [0, 1, 2, -1, 0.0, -0.0, math.nan, 1e-300, '', 'a', b'', b'\x00', None, [], [0],
                  True, False, 2**70]:
            pack(order + '?', v)
        for b in [0, 1, 2, 0x7f, 0x80, 0xff]:
            unpack(order + '?', bytes([b]))


STRUCTS = ['!H%dsb5sb' % n for n in (0, 1, 4, 17)] + [
    '@bq', 'xh', '@ci', '@b0i', 'iii0q', '<3h2x?', '@?d', '@e?f', '@c7xq', '@hq', '@bhilqnNP',
    '< h 2i ', 'hh\tl', '2s2p', '3x', '@ 2b 0q', '=bhilqQ', '>bhilqQ', '<efd', '!efd', '@3c',
    '>10s5p?', '@i?e', '@qb', '@b2h0qc', '!4B', '@?hdc', '<' + INT_CODES[:-3] + 'efd?c2s3p']


def gen_structs():
    for fmt in STRUCTS:
        args = [sample_value(c, i) for i, c in enumerate(items_of(fmt))]
        packed = pack(fmt, *args)
        size = struct.calcsize(fmt)
        pack(fmt, *args[:-1], roundtrip=False) if args else pack(fmt, 1, roundtrip=False)
        pack(fmt, *args, 0, roundtrip=False)
        for total, offset in [(size, 0), (size + 5, 3), (size + 5, 5), (size + 5, 6), (size + 5, -size),
                              (size + 5, -size - 5), (size + 5, -size - 6), (size, -1), (size + 5, 0)]:
            pack_into(fmt, total, offset, *args)
        pack_into(fmt, size + 2, 1, *args[:-1])
        data = (packed or b'') + b'\x99\x98\x97\x96\x95'
        for offset in [0, 1, 5, 6, -5, -size - 5, -size - 6, -1, len(data)]:
            unpack_from(fmt, data, offset)
        unpack(fmt, data[:size + 1])
        unpack(fmt, data[:max(size - 1, 0)])
        iter_unpack(fmt, (packed or b'') * 3)
        iter_unpack(fmt, (packed or b'') * 2 + b'\x01')
        iter_unpack(fmt, b'')


def gen_value_errors():
    # The failing value sits after valid ones, so pack_into shows what CPython leaves behind.
    for fmt, args in [('<hhh', (1, 2, 70000)), ('>i2s?H', (5, b'abc', 1, -1)), ('@bq', (1, 2**64)),
                      ('!4sf', (b'ab', 1e300)), ('<hc', (7, b'xy')), ('=e3s', (70000.0, b'z'))]:
        pack(*((fmt,) + args))
        pack_into(fmt, struct.calcsize(fmt) + 4, 2, *args)
    pack_into('i', 3, -8, 1)
    pack_into('12s', 10, -11, b'')
    unpack_from('12s', bytes(10), -11)
    unpack_from('4s', bytes(10), -11)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'struct', 'corpus.jsonl')
    if sys.version_info[:2] != (3, 11):
        print(f'warning: the Java side targets CPython 3.11, this is {sys.version}', file=sys.stderr)
    if sys.byteorder != 'little' or struct.calcsize('P') != 8:
        sys.exit('native cases assume a little-endian LP64 machine (x86_64 or aarch64)')
    rng = random.Random(20240611)
    gen_calcsize()
    gen_integers(rng)
    gen_floats(rng)
    gen_strings()
    gen_structs()
    gen_value_errors()
    header = {'header': True, 'python': sys.version, 'executable': sys.executable,
              'platform': platform.system(), 'machine': platform.machine(),
              'generator': 'common/src/test/python/gen_struct_corpus.py', 'cases': len(cases)}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, 'w', encoding='utf-8') as f:
        for line in [header] + cases:
            f.write(json.dumps(line, ensure_ascii=True) + '\n')
    print(f'{len(cases)} cases -> {out}', file=sys.stderr)


if __name__ == '__main__':
    main()
