"""Caches bounded in bytes: the one helper behind every cache on the request path.

An entry limit alone does not bound memory: 50,000 cached character-gram tuples of 950-letter
words are 13 GB. :class:`BoundedCache` keeps the approximate size of what it holds (strings by
``sys.getsizeof``, arrays by ``nbytes``, containers by their items, plus a fixed overhead per
entry) and never holds more than its bound. Sizes are estimates, not allocator measurements;
they err on the large side (shared objects count once per entry).

Eviction drops the least recently used entries, with recency kept in two generations so that a
hit costs one dict lookup (as with ``functools.lru_cache``) rather than a lookup plus a move: new
entries go to the young generation (a plain dict); when it holds half the bound it joins the
old one (kept in order), whose oldest entries are dropped as the bounds require; an old entry
used again becomes young. So the newest entries always stay, at most ``max_entries`` of them.

Thread safety: inserts, evictions and the move of an entry between generations hold a lock; a
lookup is one dict ``get`` (atomic under the GIL) and takes none.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

# Per entry: its slot in a dict or in the ordered dict's table and list, with the tables' share
# of free space (~100-150 bytes on CPython 3.11).
ENTRY_OVERHEAD = 150
_MISSING: Any = object()  # a default no caller can pass
_getsizeof = sys.getsizeof


def approx_size(obj: Any) -> int:
    """Approximate bytes held by ``obj``: strings exactly, arrays by ``nbytes``, tuples, lists,
    dicts and sets with their items."""
    kind = type(obj)
    if kind is str or kind is int or kind is float or kind is bytes or obj is None:
        return _getsizeof(obj)
    if kind is tuple or kind is list or kind is set or kind is frozenset:
        return _getsizeof(obj) + sum(map(approx_size, obj))
    if kind is dict:
        return _getsizeof(obj) + sum(map(approx_size, obj)) + sum(map(approx_size, obj.values()))
    nbytes = getattr(obj, "nbytes", None)
    if isinstance(nbytes, int):  # numpy arrays (without importing numpy here)
        return nbytes + 112
    if hasattr(obj, "__dict__"):
        return _getsizeof(obj) + approx_size(vars(obj))
    return _getsizeof(obj)


def entry_size(key: Any, value: Any) -> int:
    """The default size of an entry: :func:`approx_size` of its key and of its value."""
    return approx_size(key) + approx_size(value)


def str_entry_size(key: str, value: str) -> int:
    """Size of a string → string entry (the common case, kept cheap: it runs on every miss)."""
    return _getsizeof(key) + _getsizeof(value)


class BoundedCache(Mapping):
    """A thread-safe mapping that holds at most ``max_bytes`` (approximate) bytes.

    Parameters
    ----------
    max_bytes : int
        Bound on the summed entry sizes; ``0`` keeps nothing. An entry larger than an eighth
        of the bound is not kept (it would push out a large part of the cache for one value).
    max_entries : int, optional
        An additional bound on the number of entries.
    sizeof : callable, default=entry_size
        ``sizeof(key, value)``: the bytes of an entry (the same every time it is asked);
        :data:`ENTRY_OVERHEAD` is added. A cache whose keys and values have known types passes
        a cheaper one.
    name : str
        For reports (:meth:`stats`).
    """

    def __init__(
        self,
        max_bytes: int,
        *,
        max_entries: int | None = None,
        sizeof: Callable[[Any, Any], int] = entry_size,
        name: str = "",
    ) -> None:
        self.name = name
        self.sizeof = sizeof
        self.misses = 0
        self.nbytes = 0  # of both generations
        self._young: dict = {}  # the newest entries, no order needed: a hit is one lookup
        self._young_bytes = 0
        self._old: OrderedDict = OrderedDict()  # the others, oldest first
        self._lock = threading.Lock()
        self._set_bounds(max_bytes, max_entries)

    def _set_bounds(self, max_bytes: int, max_entries: int | None) -> None:
        self.max_bytes = int(max_bytes)
        self.max_entries = max_entries
        self._max_entry_bytes = self.max_bytes // 8
        self._max_n = sys.maxsize if max_entries is None else max_entries
        # The young generation takes up to half of each bound before it joins the old one.
        self._young_max_bytes = self.max_bytes // 2
        self._young_max_n = max(1, self._max_n // 2)

    # Mapping interface (``in``, ``len``, iteration over keys, ``==`` with a dict).
    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return key in self._young or key in self._old

    def __len__(self) -> int:
        return len(self._young) + len(self._old)

    def __iter__(self) -> Iterator:
        with self._lock:  # a snapshot, oldest first
            return iter([*self._old, *self._young])

    def get(self, key, default=None):
        """The value for ``key`` (which now counts as recently used), or ``default``."""
        value = self._young.get(key, _MISSING)
        if value is _MISSING:
            value = self._old.get(key, _MISSING)
            if value is _MISSING:
                self.misses += 1
                return default
            self.put(key, value)  # used again: the newest entry
        return value

    def get_many(self, keys: list) -> list:
        """``[self.get(k) for k in keys]`` in one call (``None`` for a miss: for caches that
        never hold ``None``)."""
        values = list(map(self._young.get, keys))
        if None in values:
            old = self._old
            for i, value in enumerate(values):
                if value is None:
                    value = old.get(keys[i])
                    if value is None:
                        self.misses += 1
                    else:
                        values[i] = self.put(keys[i], value)
        return values

    def young_get(self) -> Callable:
        """The young generation's ``dict.get``, for hot loops: ``fast(key)`` is a hit or
        ``None``; on ``None`` ask :meth:`get` (the key may be old, or the generations may have
        moved on since; the function stays valid, it just hits less)."""
        return self._young.get

    def put(self, key, value):
        """Keep ``value`` under ``key`` as the newest entry (an old entry under ``key`` moves up);
        returns ``value``. The oldest entries make room."""
        size = self.sizeof(key, value) + ENTRY_OVERHEAD
        if size > self._max_entry_bytes or not self._max_n:
            return value  # too large to keep: computing it again is cheaper than what it evicts
        with self._lock:
            young, old = self._young, self._old
            if key in young:
                return value
            if key in old:
                self.nbytes -= self.sizeof(key, old.pop(key)) + ENTRY_OVERHEAD
            if self._young_bytes + size > self._young_max_bytes or len(young) >= self._young_max_n:
                self._age()
                young = self._young
            if self.nbytes + size > self.max_bytes or len(young) + len(old) >= self._max_n:
                self._evict(size)  # room first: the bound holds at every moment
                young = self._young  # (eviction may have aged it)
            young[key] = value
            self._young_bytes += size
            self.nbytes += size
        return value

    def _age(self) -> None:
        """The young generation joins the old one at its end (lock held)."""
        self._old.update(self._young)  # no key is in both generations
        self._young = {}
        self._young_bytes = 0

    def _evict(self, size: int = 0) -> None:
        """Drop the oldest entries until both bounds hold, with room for an entry of ``size``
        (if any) and 1/32 of the byte bound besides, so that one call makes room for many
        inserts (lock held)."""
        old, sizeof = self._old, self.sizeof
        max_bytes = self.max_bytes - (self.max_bytes >> 5) - size
        max_n = self._max_n - (1 if size else 0)
        nbytes = self.nbytes
        while nbytes > max_bytes or len(self._young) + len(old) > max_n:
            if not old:
                self._age()
                if not old:
                    break
            key, value = old.popitem(last=False)
            nbytes -= sizeof(key, value) + ENTRY_OVERHEAD
        self.nbytes = nbytes

    def update_many(self, items) -> None:
        """:meth:`put` each ``(key, value)`` in order (the last ones are the newest)."""
        for key, value in items:
            self.put(key, value)

    def resize(self, max_bytes: int | None = None, max_entries: int | None = _MISSING) -> None:
        """Change the bounds (the oldest entries go at once if they shrink)."""
        with self._lock:
            self._set_bounds(
                self.max_bytes if max_bytes is None else max_bytes,
                self.max_entries if max_entries is _MISSING else max_entries,
            )
            self._age()
            self._evict()

    def clear(self) -> None:
        with self._lock:
            self._young = {}
            self._old = OrderedDict()
            self._young_bytes = self.nbytes = 0

    def stats(self) -> dict:
        return {
            "name": self.name,
            "entries": len(self),
            "bytes": self.nbytes,
            "max_bytes": self.max_bytes,
            "misses": self.misses,
        }

    def __repr__(self) -> str:
        return f"BoundedCache({self.name!r}, {len(self)} entries, {self.nbytes}/{self.max_bytes} B)"

    # A cache is not state: a copied or unpickled owner starts with an empty one, same bounds.
    def __reduce__(self):
        return (_empty_like, (self.max_bytes, self.max_entries, self.sizeof, self.name))


def _empty_like(max_bytes, max_entries, sizeof, name) -> BoundedCache:
    return BoundedCache(max_bytes, max_entries=max_entries, sizeof=sizeof, name=name)


# Every cache made by byte_cached(), by name, so that tests and reports can see them all.
REGISTRY: dict[str, BoundedCache] = {}


def byte_cached(max_bytes: int, *, name: str | None = None, sizeof=entry_size):
    """Decorator: memoise a function of hashable arguments in a :class:`BoundedCache`.

    Like ``functools.lru_cache`` (``fn.cache_clear()``; the cache is ``fn.cache``), but bounded
    in bytes. A function of one parameter is keyed by its argument, others by the argument tuple
    (so, as with ``lru_cache``, ``f(x)`` and ``f(x, default)`` are separate entries).
    """

    def decorate(fn):
        cache = BoundedCache(max_bytes, sizeof=sizeof, name=name or fn.__qualname__)
        REGISTRY[cache.name] = cache
        put = cache.put
        params = list(inspect.signature(fn).parameters.values())
        single = len(params) == 1 and params[0].kind is params[0].POSITIONAL_OR_KEYWORD

        if single:

            @functools.wraps(fn)
            def wrapper(arg):
                value = cache._young.get(arg, _MISSING)
                if value is _MISSING:
                    value = cache._old.get(arg, _MISSING)
                    if value is _MISSING:
                        cache.misses += 1
                        value = fn(arg)
                    put(arg, value)
                return value

        else:

            @functools.wraps(fn)
            def wrapper(*args):
                value = cache._young.get(args, _MISSING)
                if value is _MISSING:
                    value = cache._old.get(args, _MISSING)
                    if value is _MISSING:
                        cache.misses += 1
                        value = fn(*args)
                    put(args, value)
                return value

        wrapper.cache = cache
        wrapper.cache_clear = cache.clear
        return wrapper

    return decorate
