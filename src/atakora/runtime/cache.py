"""A small per-instance read cache: bounded LRU with a time to live, safe across threads.

Each Functions instance (each worker process) holds its own cache.  Writes through *this*
instance invalidate its entries at once; writes served by another instance are only seen here
once the entry expires, so a client may read data up to ``ttl`` seconds old.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

Clock = Callable[[], float]
DEFAULT_MAX_ENTRIES = 1024
MAX_CACHE_TTL = 86_400


@dataclass(frozen=True)
class CachedResponse:
    """A serialised JSON body and its ETag (None for listings)."""

    body: bytes
    etag: str | None = None


ItemKey = tuple[str, str, Hashable]
ListKey = tuple[str, Hashable, str | None, int, Hashable]


class ReadCache:
    """Item reads and list pages kept for ``ttl`` seconds, at most ``max_entries`` (LRU).

    ``clock`` (default ``time.monotonic``) returns seconds; tests inject a fake one.
    """

    def __init__(self, ttl: int, *, max_entries: int = DEFAULT_MAX_ENTRIES, clock: Clock | None = None) -> None:
        if isinstance(ttl, bool) or not isinstance(ttl, int) or not 1 <= ttl <= MAX_CACHE_TTL:
            raise ValueError(f"cache ttl must be an integer from 1 to {MAX_CACHE_TTL} seconds, not {ttl!r}")
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[float, CachedResponse]] = OrderedDict()
        self._version = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @staticmethod
    def item_key(id: str, partition: Hashable) -> ItemKey:
        """Key of one item read (the partition value is typed so ``1``, ``True`` and ``'1'`` differ)."""
        return ("item", id, (type(partition).__name__, partition))

    @staticmethod
    def list_key(partition: Hashable, continuation: str | None, limit: int, query: Hashable = None) -> ListKey:
        """Key of one list page (``query``: its filters and order)."""
        return ("list", (type(partition).__name__, partition), continuation, limit, query)

    def get(self, key: Hashable) -> CachedResponse | None:
        """The live entry for ``key`` (and mark it recently used), or None."""
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] <= now:
                if found is not None:
                    del self._entries[key]
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[1]

    @property
    def version(self) -> int:
        """Changes on every invalidation; read it before asking the store, pass it to :meth:`put`."""
        with self._lock:
            return self._version

    def put(self, key: Hashable, value: CachedResponse, *, if_version: int | None = None) -> bool:
        """Store ``value`` until ``ttl`` seconds from now, evicting the least recently used entry.

        With ``if_version`` (default None = always) nothing is stored when an invalidation happened
        since that :attr:`version` was read, so a read racing a write never caches the old item.
        Returns True when stored.
        """
        expires = self._clock() + self.ttl
        with self._lock:
            if if_version is not None and if_version != self._version:
                return False
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return True

    def invalidate_item(self, id: str) -> None:
        """Drop every read of item ``id`` (in any partition) and every list page."""
        with self._lock:
            self._version += 1
            stale = [
                k for k in self._entries if isinstance(k, tuple) and (k[0] == "list" or (k[0] == "item" and k[1] == id))
            ]
            for key in stale:
                del self._entries[key]

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._version += 1
            self._entries.clear()
