"""A token bucket per key (an API token, or an address whose requests had no valid token), in
this process: a burst of a minute's requests, then one request per (60 / rate) seconds. Behind
a load balancer each replica keeps its own buckets, so N replicas let a key through up to N
times the rate (docs/api.md)."""

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """``take(key)``: 0 when a request may go ahead, else the seconds to wait first."""

    # Buckets kept before the full ones are dropped (a full bucket is the same as none): keys
    # that are addresses come and go.
    PRUNE_AT = 10_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(per_minute)
        self._per_second = per_minute / 60
        self._clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}

    def take(self, key: Hashable) -> int:
        """Spend one request of ``key``'s bucket; when it is empty, nothing is spent and the
        answer is the whole seconds until one request is back (for ``Retry-After``)."""
        bucket = self._refilled(key)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        return self._wait(bucket)

    def waiting(self, key: Hashable) -> int:
        """``take``'s answer without spending: 0 when ``key`` has a request left."""
        bucket = self._refilled(key)
        return 0 if bucket.tokens >= 1 else self._wait(bucket)

    def _refilled(self, key: Hashable) -> _Bucket:
        now = self._clock()
        if key not in self._buckets and len(self._buckets) >= self.PRUNE_AT:
            self._prune(now)
        bucket = self._buckets.setdefault(key, _Bucket(self._capacity, now))
        bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.at) * self._per_second)
        bucket.at = now
        return bucket

    def _prune(self, now: float) -> None:
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.at) * self._per_second >= self._capacity
        ]
        for key in full:
            del self._buckets[key]

    def _wait(self, bucket: _Bucket) -> int:
        return max(1, math.ceil((1 - bucket.tokens) / self._per_second))
