"""Frequency-domain regression of the references (RegressionDenoiser, FreqDomain)."""

import mne
import numpy as np
import pytest
from sklearn.base import clone

from mne_denoise import FreqDomainDenoiser, RegressionDenoiser, read_denoiser
from mne_denoise.datasets import simulate_eeg, simulate_eog
from mne_denoise.denoisers._transfer import apply_transfer, fit_transfer
from mne_denoise.metrics import rrmse_temporal

SFREQ = 256.0


def _blinks_and_a_busy_reference(n_ep=30, n_eeg=3, n_times=512, seed=0):
    """EEG with blinks; an EOG channel that also records 8-30 Hz activity of
    its own (unrelated to the EEG), as a periocular electrode does."""
    rng = np.random.default_rng(seed)
    eeg = simulate_eeg(n_ep * n_eeg, n_times, SFREQ,
                       random_state=seed).reshape(n_ep, n_eeg, n_times)
    blink = simulate_eog(n_ep, n_times, SFREQ, random_state=seed + 1)[:, None]
    own = mne.filter.filter_data(rng.normal(size=(n_ep, 1, n_times)), SFREQ,
                                 8.0, 30.0, verbose=False)
    own *= 0.5 * eeg.std() / own.std()
    gains = np.array([1.0, 0.5, 0.2])[:n_eeg, None]
    data = np.concatenate([eeg + gains * blink, blink + own], axis=1)
    info = mne.create_info([f"E{i}" for i in range(n_eeg)] + ["EOG"], SFREQ,
                           ["eeg"] * n_eeg + ["eog"])
    epochs = mne.EpochsArray(data, info, verbose=False).set_eeg_reference(
        [], verbose=False)
    return epochs, eeg


def _err(out, eeg):
    return rrmse_temporal(out[:, :eeg.shape[1]], eeg).mean()


def test_frequency_regression_leaves_the_references_own_activity_out():
    epochs, eeg = _blinks_and_a_busy_reference()
    time = RegressionDenoiser().fit(epochs).transform(epochs).get_data()
    den = RegressionDenoiser(domain="frequency").fit(epochs)
    freq = den.transform(epochs).get_data()
    # Time-domain regression injects the reference's 8-30 Hz activity into
    # every EEG channel; the transfer function is near zero there.
    assert _err(freq, eeg) < 0.6 * _err(time, eeg)
    assert _err(freq, eeg) < 0.15 * _err(epochs.get_data(), eeg)
    n_taps = den.transfer_.shape[-1]
    assert den.transfer_.shape == (3, 1, n_taps) and n_taps == int(SFREQ)
    gain = np.abs(np.fft.rfft(den.transfer_[:, 0], axis=-1))  # 1 Hz bins
    np.testing.assert_allclose(gain[:, 2], [1.0, 0.5, 0.2], atol=0.1)
    assert np.all(gain[:, 15:25] < 0.5 * gain[:, 2:3])
    # The references pass unchanged; the time-domain shares are still there.
    np.testing.assert_array_equal(freq[:, 3], epochs.get_data()[:, 3])
    np.testing.assert_allclose(den.coef_[:, 0], [1.0, 0.5, 0.2], atol=0.15)
    assert RegressionDenoiser().fit(epochs).transfer_ is None


def test_transfer_of_a_broadband_share_on_short_epochs():
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(8, 2, 100))  # shorter than 1 s at 256 Hz
    eeg = np.einsum("er,nrt->net", [[0.5, -0.2]], ref)
    taps = fit_transfer(eeg, ref, SFREQ)
    assert taps.shape == (1, 2, 100)  # one Welch segment: the whole epoch
    # A flat transfer: the gain at 0 Hz is each reference's share, and the
    # share is recovered (up to the ridge).
    np.testing.assert_allclose(taps.sum(axis=-1), [[0.5, -0.2]], atol=0.01)
    share = apply_transfer(ref, taps)
    assert share.shape == eeg.shape
    assert np.std(eeg - share) < 0.02 * np.std(eeg)


def test_frequency_regression_round_trips_and_clones(tmp_path, epochs):
    den = RegressionDenoiser(domain="frequency").fit(epochs)
    assert clone(den).get_params()["domain"] == "frequency"
    den.save(tmp_path / "reg-den.pt")
    back = read_denoiser(tmp_path / "reg-den.pt")
    np.testing.assert_array_equal(back.transfer_, den.transfer_)
    np.testing.assert_allclose(back.transform(epochs).get_data(),
                               den.transform(epochs).get_data())
    with pytest.raises(ValueError, match="domain"):
        RegressionDenoiser(domain="spectral").fit(epochs)


def test_freq_domain_reference_mode_uses_the_transfer_function():
    epochs, eeg = _blinks_and_a_busy_reference(n_ep=20)
    freq_reg = RegressionDenoiser(domain="frequency").fit(epochs)
    den = FreqDomainDenoiser(noise_estimate="reference",
                             reference_regression="frequency").fit(epochs)
    assert den.reference_transfer_.shape == freq_reg.transfer_.shape
    np.testing.assert_allclose(den.reference_transfer_, freq_reg.transfer_,
                               rtol=1e-6, atol=1e-9)
    out = den.transform(epochs).get_data()
    time = RegressionDenoiser().fit(epochs).transform(epochs).get_data()
    # Never worse than either regression here (the gate closes on what is
    # left), and clearly better than the time-domain one.
    assert _err(out, eeg) <= _err(freq_reg.transform(epochs).get_data(), eeg) + 0.02
    assert _err(out, eeg) < 0.6 * _err(time, eeg)
    default = FreqDomainDenoiser(noise_estimate="reference").fit(epochs)
    assert default.reference_transfer_ is None  # least squares by default
    with pytest.raises(ValueError, match="reference_regression"):
        FreqDomainDenoiser(reference_regression="both").fit(epochs)


def test_transfer_never_takes_more_than_least_squares():
    # Brain activity that the reference shares with the EEG (alpha reaching
    # a periocular electrode) is coherent too: the transfer is capped at the
    # least-squares share at every frequency, so it does not remove more of
    # that activity than time-domain regression.
    rng = np.random.default_rng(1)
    n_ep, n_times = 20, 512
    blink = simulate_eog(n_ep, n_times, SFREQ, random_state=2)
    alpha = mne.filter.filter_data(rng.normal(size=(n_ep, n_times)), SFREQ, 8.0,
                                   12.0, verbose=False)
    alpha *= blink.std() / alpha.std()
    brain = simulate_eeg(n_ep, n_times, SFREQ, random_state=3) * blink.std()
    eeg = (brain + 0.2 * blink + alpha)[:, None]
    ref = (blink + alpha)[:, None]
    taps = fit_transfer(eeg, ref, SFREQ)
    coef = np.linalg.lstsq(ref[:, 0].reshape(-1, 1), eeg[:, 0].ravel(),
                           rcond=None)[0][0]
    gain = np.abs(np.fft.rfft(taps[0, 0]))
    assert gain.max() <= abs(coef) + 1e-9
    assert gain[10] > 0.9 * abs(coef)  # the cap binds where alpha is shared
