"""A token bucket per API token, in this process: a burst of a minute's requests, then one
request per (60 / rate) seconds. Behind a load balancer each replica keeps its own buckets,
so N replicas let a token through up to N times the rate (docs/api.md)."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """``take(key)``: 0 when a request may go ahead, else the seconds to wait first."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(per_minute)
        self._per_second = per_minute / 60
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def take(self, key: int) -> int:
        """Spend one request of ``key``'s bucket; when it is empty, nothing is spent and the
        answer is the whole seconds until one request is back (for ``Retry-After``)."""
        now = self._clock()
        bucket = self._buckets.setdefault(key, _Bucket(self._capacity, now))
        bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.at) * self._per_second)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        return max(1, math.ceil((1 - bucket.tokens) / self._per_second))
