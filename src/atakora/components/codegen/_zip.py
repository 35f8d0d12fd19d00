"""A deterministic zip writer whose compressed entries are reused across packages.

Every Function App package carries the same runtime files; compressing them once per synthesis
instead of once per app is most of the cost of a package. The bytes are exactly those
``zipfile.ZipFile`` writes for the same entries (sorted names, 1980-01-01, mode 0644, deflate).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

__all__ = ["deterministic_zip", "zip_pieces"]

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
_records: dict[tuple[int, str, bytes], tuple[bytes, int, int, int, bytes]] = {}
"""A shared entry's local record (header, name, compressed data) and what the central directory repeats of it
(crc, compressed and plain size, encoded name), by level, name and content: one bytes object every package
holding that entry refers to."""


def _deflate(data: bytes, level: int) -> tuple[int, bytes]:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def _encoded(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_FLAG


def _local(encoded: bytes, flags: int, crc: int, packed: bytes, size: int) -> bytes:
    return _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, crc, len(packed), size,
                       len(encoded), 0) + encoded + packed


def _shared_record(name: str, data: bytes, level: int) -> tuple[bytes, int, int, int, bytes]:
    cached = _records.get((level, name, data))
    if cached is None:
        key = (level, data)
        if key not in _compressed:
            _compressed[key] = _deflate(data, level)
        crc, packed = _compressed[key]
        encoded, flags = _encoded(name)
        cached = _records[level, name, data] = (_local(encoded, flags, crc, packed, len(data)), crc, len(packed),
                                                len(data), encoded)
    return cached


def deterministic_zip(files: Mapping[str, bytes], *, level: int, shared: frozenset[str] = frozenset(),
                      shared_level: int | None = None) -> bytes:
    """The zip of ``files`` (sorted by name) at deflate ``level``; entries named in ``shared`` are compressed
    once per content, at ``shared_level`` (default ``level``)."""
    return b"".join(zip_pieces(files, level=level, shared=shared, shared_level=shared_level))


def zip_pieces(files: Mapping[str, bytes], *, level: int, shared: frozenset[str] = frozenset(),
               shared_level: int | None = None) -> tuple[bytes, ...]:
    """:func:`deterministic_zip` as the pieces it joins: each shared entry's local record is one bytes object
    that every zip holding the same entry refers to, so packages kept as pieces hold the shared files once."""
    once = level if shared_level is None else shared_level
    pieces: list[bytes] = []
    own = bytearray()
    central = bytearray()
    offset = count = 0
    for name in sorted(files):
        data = files[name]
        if name in shared:
            record, crc, packed_size, size, encoded = _shared_record(name, data, once)
            flags = 0 if encoded.isascii() else _UTF8_FLAG
            if own:
                pieces.append(bytes(own))
                own.clear()
            pieces.append(record)
            length = len(record)
        else:
            crc, packed = _deflate(data, level)
            encoded, flags = _encoded(name)
            packed_size, size = len(packed), len(data)
            record = _local(encoded, flags, crc, packed, size)
            own += record
            length = len(record)
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, _DEFLATED, _DOS_TIME,
                                 _DOS_DATE, crc, packed_size, size, len(encoded), 0, 0, 0, 0, _EXTERNAL, offset)
        central += encoded
        offset += length
        count += 1
    own += central
    own += _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
    pieces.append(bytes(own))
    return tuple(pieces)
