import numpy as np
import pytest

from mne_denoise.utils._windowing import (
    Windowing,
    denoise_epochs_jointly,
    denoise_signals,
    overlap_add,
    pad_to,
    resample,
    resample_ratio,
    to_windows,
    window_starts,
)


@pytest.mark.parametrize("sfreq_in, sfreq_out, ratio", [
    (160.0, 256.0, (8, 5)), (256.0, 256.0, (1, 1)), (1000.0, 256.0, (32, 125)),
    (512.0, 256.0, (1, 2)),
])
def test_resample_ratio_exact(sfreq_in, sfreq_out, ratio):
    assert resample_ratio(sfreq_in, sfreq_out) == ratio


def test_resample_ratio_refuses_a_rate_it_cannot_meet():
    # An odd rate gets the closest ratio of denominator <= 1000 ...
    up, down = resample_ratio(1000.3, 256.0)
    assert abs(1000.3 * up / down - 256.0) <= 1e-3 * 256.0
    # ... and a ratio no such fraction meets within 0.1 % raises.
    with pytest.raises(ValueError, match="Cannot resample 1e[+]06 Hz to 256 Hz"):
        resample_ratio(1e6, 256.0)


def test_window_starts_cover_the_signal_with_the_last_one_flush():
    starts = window_starts(1300, 512, 0.5)
    assert starts[0] == 0 and starts[-1] == 1300 - 512
    assert np.all(np.diff(starts) <= 256)
    np.testing.assert_array_equal(window_starts(400, 512, 0.5), [0])


def test_windows_and_overlap_add_are_inverse():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 1300))
    starts = window_starts(x.shape[1], 512, 0.5)
    w = to_windows(x, starts, 512)
    assert w.shape == (3, len(starts), 512)
    np.testing.assert_allclose(overlap_add(w, starts, x.shape[1]), x, atol=1e-12)


def test_pad_to_reflects_short_signals():
    x = np.arange(5.0)[np.newaxis]
    assert pad_to(x, 8).shape == (1, 8)
    np.testing.assert_array_equal(pad_to(x, 8)[0, 5:], [3.0, 2.0, 1.0])
    assert pad_to(x, 3) is x


def test_resample_identity_copies():
    x = np.ones((2, 10))
    y = resample(x, 1, 1)
    assert y is not x and np.array_equal(x, y)


def test_identity_network_gives_back_the_input_exactly():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 333)) * 1e-5  # 333 samples at 160 Hz: padded

    def identity(z, noise_z):
        return z

    out = denoise_signals(x, 160.0, model_sfreq=256.0, n_window=512, overlap=0.5,
                          run=identity)
    # What the identity "removes" is rounding error only.
    np.testing.assert_allclose(out, x, rtol=0, atol=1e-18)
    epochs = x.reshape(2, 2, 333)
    out = denoise_epochs_jointly(epochs, 160.0, model_sfreq=256.0, n_window=512,
                                 overlap=0.5, run=lambda z: z)
    np.testing.assert_allclose(out, epochs, atol=1e-18)


def test_windowing_round_trip_of_a_correction():
    x = np.random.default_rng(2).normal(size=(2, 800))
    w = Windowing(x, 160.0, 256.0, 512, 0.5)
    assert w.windows.shape[-1] == 512 and w.n_times == 800
    back = w.correction_back(w.windows)
    assert back.shape == x.shape
    # Resampled to 256 Hz and back: the same signal up to the filter's
    # band edge.
    assert np.corrcoef(back.ravel(), x.ravel())[0, 1] > 0.95
