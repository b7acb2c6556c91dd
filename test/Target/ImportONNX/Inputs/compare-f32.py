"""compare-f32.py ACTUAL EXPECTED [COUNT]

Compares two raw little-endian f32 files value by value: each value of
ACTUAL must lie within 1e-4 x max(1, |expected|) of EXPECTED's (of its
first COUNT values, when given). Prints "match: N values" or the first
mismatches and exits with 1."""

import struct
import sys


def read(path):
    data = open(path, "rb").read()
    if len(data) % 4:
        sys.exit(f"{path}: {len(data)} bytes is not a whole number of f32")
    return struct.unpack(f"<{len(data) // 4}f", data)


actual, expected = read(sys.argv[1]), read(sys.argv[2])
if len(sys.argv) > 3:
    expected = expected[:int(sys.argv[3])]
if len(actual) != len(expected):
    sys.exit(f"{len(actual)} values, expected {len(expected)}")
bad = [(i, a, e) for i, (a, e) in enumerate(zip(actual, expected))
       if not abs(a - e) <= 1e-4 * max(1.0, abs(e))]
for i, a, e in bad[:5]:
    print(f"value {i}: {a!r}, expected {e!r}")
if bad:
    sys.exit(f"{len(bad)} of {len(actual)} values differ")
print(f"match: {len(actual)} values")
