# License: BSD-3-Clause
"""Skip the tests that read ../shared/data where it is absent."""

import functools

import numpy as np
import pytest

from mne_denoise.datasets import get_shared_data_path


@functools.cache
def _have_shared_data():
    try:
        get_shared_data_path()
    except FileNotFoundError:
        return False
    return True


def pytest_runtest_setup(item):
    """Skip ``shared_data`` tests before their (module-scoped) fixtures run."""
    if item.get_closest_marker("shared_data") and not _have_shared_data():
        pytest.skip("shared data not found")


@pytest.fixture
def assert_volts():
    """Check that channel standard deviations lie in a plausible range of volts."""

    def check(x, lo=1e-7, hi=1e-3):
        std = np.asarray(x).std(axis=-1)
        assert np.all(std > lo) and np.all(std < hi), std

    return check
