"""Events fixtures: a webhook receiver on loopback."""

import pytest

from tests.events.helpers import Receiver


@pytest.fixture
def receiver():
    """An HTTP receiver on loopback that records every delivery."""
    r = Receiver()
    yield r
    r.stop()
