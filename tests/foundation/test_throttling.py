"""The sliding-window rate limit: exact at the limit, smooth across window edges, shared through Redis."""

import pytest

from referral_api.throttling import SlidingWindowThrottle


class Fixed(SlidingWindowThrottle):
    rate = "10/min"
    now = 0.0

    def __init__(self):
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        return "throttle-test"

    def timer(self):
        return Fixed.now


@pytest.mark.redis
@pytest.mark.parametrize("start", [0.0, 59.5])
def test_limit_is_exact_within_a_window(start):
    Fixed.now = 1_000_000 * 60 + start
    results = [Fixed().allow_request(None, None) for _ in range(11)]
    assert results == [True] * 10 + [False]


@pytest.mark.redis
def test_previous_window_still_counts_then_decays():
    base = 2_000_000 * 60
    Fixed.now = base + 50  # ten requests late in one window
    assert all(Fixed().allow_request(None, None) for _ in range(10))
    Fixed.now = base + 60 + 1  # just into the next window: almost all of the last one still overlaps
    throttle = Fixed()
    assert throttle.allow_request(None, None) is False
    assert 1 <= throttle.wait() <= 60
    Fixed.now = base + 60 + 59  # nearly a whole window later, the old requests have decayed away
    assert Fixed().allow_request(None, None) is True


@pytest.mark.redis
def test_retry_after_when_the_current_window_is_full():
    Fixed.now = 3_000_000 * 60 + 20
    for _ in range(10):
        Fixed().allow_request(None, None)
    throttle = Fixed()
    assert throttle.allow_request(None, None) is False
    assert throttle.wait() == 40
