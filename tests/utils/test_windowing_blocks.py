"""Block-wise overlap-add: the whole-signal result in constant memory."""

import numpy as np
import pytest

from mne_denoise.utils._windowing import (
    OverlapAddStream,
    block_windows,
    denoise_blocked,
    denoise_signals,
)

KW = dict(model_sfreq=256.0, n_window=512, overlap=0.5)


def _run(z, noise_z):
    """A nonlinear map of each window on its own (as a network is)."""
    out = 0.7 * np.tanh(z) + 0.1 * z**2
    return out if noise_z is None else out - 0.3 * noise_z


def _signals(sfreq, seconds, n=3, seed=0):
    rng = np.random.default_rng(seed)
    # A random walk: a trend, which the resampling's line extension sees.
    return rng.normal(size=(n, int(sfreq * seconds) + 7)).cumsum(axis=-1)


def _assert_round_off(actual, desired):
    np.testing.assert_allclose(actual, desired, rtol=0,
                               atol=1e-13 * np.abs(desired).max())


def _blocked(rows, sfreq, n_references=0, n_block=4):
    out = np.full((len(rows) - n_references, rows.shape[1]), np.nan)

    def write(start, cleaned):
        assert np.isnan(out[:, start:start + cleaned.shape[1]]).all(), \
            "a sample was written twice"
        out[:, start:start + cleaned.shape[1]] = cleaned

    seen = []
    denoise_blocked(lambda a, b: rows[:, a:b], len(rows), rows.shape[1], sfreq,
                    run=_run, write=write, n_references=n_references,
                    n_block=n_block, progress=seen.append, **KW)
    assert seen[-1] == rows.shape[1] and seen == sorted(seen)
    return out


@pytest.mark.parametrize("sfreq", [160.0, 500.0, 256.0, 1000.0])
@pytest.mark.parametrize("n_block", [1, 4, 7])
def test_blocks_equal_the_whole_signal(sfreq, n_block):
    x = _signals(sfreq, 23)
    whole = denoise_signals(x, sfreq, run=_run, **KW)
    blocked = _blocked(x, sfreq, n_block=n_block)
    assert not np.isnan(blocked).any(), "a sample was never written"
    # The resampled windows are the same bit for bit; reductions over blocks
    # of other sizes (the windows' means) may round differently, so: float64
    # round-off.
    _assert_round_off(blocked, whole)


def test_blocks_with_references_equal_the_whole_signal():
    x, ref = _signals(160.0, 17), _signals(160.0, 17, seed=1)
    whole = denoise_signals(x, 160.0, run=_run, references=ref, **KW)
    blocked = _blocked(np.concatenate([x, ref]), 160.0, n_references=3)
    _assert_round_off(blocked, whole)


def test_denoise_signals_goes_block_by_block_when_asked():
    x = _signals(160.0, 40)
    calls = []

    def run(z, noise_z):
        calls.append(len(z))
        return _run(z, noise_z)

    whole = denoise_signals(x, 160.0, run=run, **KW)
    assert len(calls) == 1
    calls.clear()
    blocked = denoise_signals(x, 160.0, run=run, n_block=5, **KW)
    _assert_round_off(blocked, whole)
    # Never more than a block of windows at once.
    assert len(calls) > 1 and max(calls) <= 3 * 5
    # "auto" leaves short signals in one call.
    calls.clear()
    denoise_signals(x, 160.0, run=run, n_block="auto", **KW)
    assert len(calls) == 1


def test_block_size_follows_the_memory_budget():
    assert block_windows(64, 512) == 64  # 16 MB of windows
    assert block_windows(10_000, 512) == 4  # at least a few windows
    assert block_windows(1, 512, block_bytes=512 * 8 * 10) == 10
    # At 2 kHz a hop reads 2000 input samples: they set the size.
    assert block_windows(64, 512, input_per_window=2000) == 16


def test_the_block_path_refuses_signals_shorter_than_a_window():
    with pytest.raises(ValueError, match="at least one window"):
        OverlapAddStream(1, 160.0, run=_run, n_times=100,
                         edges=(np.zeros(1), np.zeros(1)), **KW)


@pytest.mark.parametrize("sfreq", [160.0, 500.0, 256.0])
@pytest.mark.parametrize("chunk", [1, 5, 333])
def test_a_stream_matches_the_recording_after_its_first_window(sfreq, chunk):
    if sfreq == 500.0 and chunk == 1:
        chunk = 16  # 1/32 s
    x = _signals(sfreq, 14)
    whole = denoise_signals(x, sfreq, run=_run, **KW)
    stream = OverlapAddStream(len(x), sfreq, run=_run, **KW)
    out, n_out = [], 0
    for a in range(0, x.shape[1], chunk):
        start, cleaned = stream.push(x[:, a:a + chunk])
        assert start == n_out
        n_out += cleaned.shape[1]
        out.append(cleaned)
        # Final output never lags the input by more than the stated delay.
        assert stream.n_in - n_out <= stream.delay
    out = np.concatenate(out, axis=1)
    # A sample is final once the last window covering it is complete: one
    # window (2 s) plus the resampling filters' reach.
    assert 2.0 * sfreq - 1 <= stream.delay <= 2.2 * sfreq
    first = stream.delay + 1  # after the first window
    # The recording's last window is flush with its end.
    last = min(out.shape[1], x.shape[1] - int(2 * sfreq))
    scale = np.abs(whole).max()
    np.testing.assert_allclose(out[:, first:last], whole[:, first:last],
                               rtol=0, atol=1e-12 * scale)
    if sfreq != KW["model_sfreq"]:
        # The resampling of the first window sees no past, and differs.
        assert np.abs(out[:, :first] - whole[:, :first]).max() > 1e-9 * scale
