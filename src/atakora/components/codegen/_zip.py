"""A deterministic zip writer whose compressed entries are reused across packages.

Every Function App package carries the same runtime files; compressing them once per synthesis
instead of once per app is most of the cost of a package. The bytes are exactly those
``zipfile.ZipFile`` writes for the same entries (sorted names, 1980-01-01, mode 0644, deflate).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

__all__ = ["deterministic_zip"]

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20
_DEFLATED = 8
_UNIX = 3
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_EXTERNAL = 0o100644 << 16
_UTF8_FLAG = 0x800

_compressed: dict[tuple[int, bytes], tuple[int, bytes]] = {}


def _deflate(data: bytes, level: int) -> tuple[int, bytes]:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def deterministic_zip(files: Mapping[str, bytes], *, level: int, shared: frozenset[str] = frozenset(),
                      shared_level: int | None = None) -> bytes:
    """The zip of ``files`` (sorted by name) at deflate ``level``; entries named in ``shared`` are compressed
    once per content, at ``shared_level`` (default ``level``)."""
    once = level if shared_level is None else shared_level
    out = bytearray()
    central = bytearray()
    count = 0
    for name in sorted(files):
        data = files[name]
        if name in shared:
            cached = _compressed.get((once, data))
            if cached is None:
                cached = _compressed[once, data] = _deflate(data, once)
            crc, packed = cached
        else:
            crc, packed = _deflate(data, level)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_FLAG
        offset = len(out)
        out += _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, crc, len(packed),
                           len(data), len(encoded), 0)
        out += encoded
        out += packed
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, _DEFLATED, _DOS_TIME,
                                 _DOS_DATE, crc, len(packed), len(data), len(encoded), 0, 0, 0, 0, _EXTERNAL,
                                 offset)
        central += encoded
        count += 1
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return bytes(out)
