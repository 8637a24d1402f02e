import numpy as np
import pytest
import torch

from mne_denoise import _protocol as P
from mne_denoise import metrics
from mne_denoise.nn import _spectral, losses


def test_snr_convention_is_10log10_of_rms_ratio():
    rng = np.random.default_rng(1)
    clean, art = rng.normal(size=(2, 5, 512))
    for snr in (-7.0, 0.0, 2.0):
        lam = P.artifact_scale(clean, art, snr)
        got = P.snr_db(clean, lam[:, None] * art)
        np.testing.assert_allclose(got, snr, atol=1e-9)
    # 10*log10 of an amplitude ratio: doubling the noise RMS costs ~3 dB.
    assert np.isclose(P.snr_db(clean[0], 2 * clean[0]), -10 * np.log10(2))


def test_mix_at_snr_standardizes_and_stays_additive():
    rng = np.random.default_rng(2)
    clean, art = rng.normal(size=(2, 4, 512))
    # Bank segments are demeaned; the SNR then survives standardization.
    clean -= clean.mean(axis=-1, keepdims=True)
    art -= art.mean(axis=-1, keepdims=True)
    noisy, c, a, std = P.mix_at_snr(clean, art, -3.0)
    np.testing.assert_allclose(noisy, c + a, atol=1e-12)
    np.testing.assert_allclose(noisy.std(axis=-1), 1.0, atol=1e-9)
    np.testing.assert_allclose(noisy.mean(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(P.snr_db(c, a), -3.0, atol=1e-6)


def test_torch_welch_matches_the_protocol():
    x = np.random.default_rng(3).normal(size=(3, 512))
    ref, freqs = P.welch_psd(x, 256.0)
    got = _spectral.welch_psd(torch.tensor(x), 256.0).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-14)
    assert freqs[1] == 1.0  # one-second segments -> 1 Hz bins


def test_metrics_values():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 512))
    assert np.allclose(metrics.rrmse_temporal(x, x), 0)
    assert np.allclose(metrics.rrmse_spectral(x, x, 256.0), 0)
    assert np.allclose(metrics.correlation(x, x), 1)
    assert np.allclose(metrics.correlation(-x, x), -1)
    np.testing.assert_allclose(metrics.rrmse_temporal(np.zeros_like(x), x), 1.0)
    noisy = x + rng.normal(size=x.shape)
    assert np.all(metrics.snr_improvement(x, noisy, x) > 50)
    assert np.allclose(metrics.snr_improvement(noisy, noisy, x), 0)
    assert np.allclose(metrics.correlation(np.zeros(10), np.arange(10.0)), 0)


def test_torch_losses_match_numpy_metrics():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(2, 4, 512))
    np.testing.assert_allclose(
        losses.rrmse_temporal(torch.tensor(y), torch.tensor(x)).numpy(),
        metrics.rrmse_temporal(y, x), rtol=1e-3)
    np.testing.assert_allclose(
        losses.rrmse_spectral(torch.tensor(y), torch.tensor(x)).numpy(),
        metrics.rrmse_spectral(y, x, 256.0), rtol=1e-3)


def test_metric_shape_errors():
    with pytest.raises(ValueError, match="same shape"):
        metrics.rrmse_temporal(np.zeros((2, 10)), np.zeros((3, 10)))
    with pytest.raises(ValueError, match="time axis"):
        metrics.correlation(np.zeros(1), np.zeros(1))


def test_eeg_bands_are_defined_once_and_tile_1_to_45_hz():
    edges = list(P.EEG_BANDS.values())
    assert edges[0][0] == 1.0 and edges[-1][1] == 45.0
    for (_, hi), (lo, _) in zip(edges[:-1], edges[1:], strict=True):
        assert hi == lo  # adjacent, no gap and (half-open bins) no overlap
    assert P.MU_BETA_BAND == (P.EEG_BANDS["alpha"][0], P.EEG_BANDS["beta"][1])
    assert set(P.HIGH_SNR_GRID).isdisjoint(P.TEST_SNR_GRID)


def test_band_power_ratio_on_sinusoids():
    from mne_denoise.denoisers import BandpassDenoiser

    sfreq = 256.0
    t = np.arange(4 * 512) / sfreq
    rng = np.random.default_rng(6)
    x = np.sin(2 * np.pi * 10 * t + rng.uniform(0, 2 * np.pi, (3, 1)))
    alpha = P.EEG_BANDS["alpha"]
    np.testing.assert_allclose(metrics.band_power_ratio(x, x, sfreq, alpha), 1.0)
    filtered = BandpassDenoiser(1.0, 40.0, sfreq=sfreq, method="iir").fit_transform(x)
    ratio = metrics.band_power_ratio(filtered, x, sfreq, alpha)
    assert ratio.shape == (3,)
    np.testing.assert_allclose(ratio, 1.0, atol=0.05)
    np.testing.assert_allclose(
        metrics.band_power_ratio(np.zeros_like(x), x, sfreq, alpha), 0.0)
    # Halving the amplitude keeps a quarter of the power.
    np.testing.assert_allclose(metrics.band_power_ratio(x / 2, x, sfreq, alpha), 0.25)
    # A 1-4 Hz band-pass removes the 10-Hz sine: next to no alpha is kept.
    low = BandpassDenoiser(1.0, 4.0, sfreq=sfreq, method="iir").fit_transform(x)
    assert np.all(metrics.band_power_ratio(low, x, sfreq, alpha) < 0.05)
    assert np.all(metrics.band_power_ratio(filtered, x, sfreq, P.MU_BETA_BAND) > 0.95)


def test_band_power_ratio_errors():
    x = np.ones((2, 512))
    with pytest.raises(ValueError, match="no Welch frequency bin"):
        metrics.band_power_ratio(x, x, 256.0, (200.0, 300.0))
    with pytest.raises(ValueError, match="low < high"):
        metrics.band_power_ratio(x, x, 256.0, (13.0, 8.0))
    with pytest.raises(ValueError, match="pair"):
        metrics.band_power_ratio(x, x, 256.0, 10.0)
    with pytest.raises(ValueError, match="same shape"):
        metrics.band_power_ratio(x, x[:1], 256.0, (8.0, 13.0))
