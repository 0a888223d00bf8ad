"""The API's token bucket: a minute's requests at once, then refilled at the rate."""

from bot.api.rate_limit import RateLimiter


class Seconds:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_request_per_share_of_the_minute() -> None:
    clock = Seconds()
    limiter = RateLimiter(6, clock)  # one request every 10 seconds, six at once
    assert [limiter.take(1) for _ in range(6)] == [0] * 6
    assert limiter.take(1) == 10
    clock.now += 4
    assert limiter.take(1) == 6
    clock.now += 6
    assert limiter.take(1) == 0
    assert limiter.take(1) == 10
    # Another token has its own bucket.
    assert limiter.take(2) == 0


def test_an_idle_bucket_fills_up_to_the_burst_only() -> None:
    clock = Seconds()
    limiter = RateLimiter(2, clock)
    assert [limiter.take(1) for _ in range(2)] == [0, 0]
    clock.now += 3600
    assert [limiter.take(1) for _ in range(3)] == [0, 0, 30]
