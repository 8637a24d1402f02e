# License: BSD-3-Clause
import mne
import numpy as np
import pytest

from mne_denoise._protocol import MODEL_N_TIMES, snr_db, welch_psd
from mne_denoise.datasets import (
    simulate_eeg,
    simulate_emg,
    simulate_eog,
    simulate_epochs,
)


def _power_fraction(x, sfreq, lo, hi):
    psd, freqs = welch_psd(x, sfreq)
    band = (freqs >= lo) & (freqs <= hi)
    return psd[:, band].sum(axis=1) / psd.sum(axis=1)


@pytest.mark.parametrize("func", [simulate_eeg, simulate_eog, simulate_emg])
def test_shapes_demeaned_seeded(func):
    x = func(30, random_state=0)
    assert x.shape == (30, MODEL_N_TIMES) and x.dtype == np.float64
    np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-18)
    np.testing.assert_array_equal(x, func(30, random_state=0))
    assert not np.allclose(x, func(30, random_state=1))
    assert func(2, 100, 100.0, random_state=0).shape == (2, 100)


@pytest.mark.parametrize("func", [simulate_eeg, simulate_eog, simulate_emg])
def test_argument_errors(func):
    with pytest.raises(ValueError, match="n_segments must be >= 1"):
        func(0)
    with pytest.raises(TypeError, match="n_segments must be an integer"):
        func(2.5)
    with pytest.raises(ValueError, match="sfreq must be > 0"):
        func(2, sfreq=0)


def test_simulate_eeg_amplitude_and_alpha():
    x = simulate_eeg(200, random_state=0)
    rms = x.std(axis=1)
    assert rms.min() >= 10e-6 * 0.999 and rms.max() <= 30e-6 * 1.001
    # 1/f background: more power at 1-4 Hz than at 30-60 Hz; alpha present.
    low = _power_fraction(x, 256, 1, 4)
    assert np.mean(low > _power_fraction(x, 256, 30, 60)) > 0.95
    assert _power_fraction(x, 256, 8, 12).mean() > 0.1


def test_simulate_eog_mostly_low_frequency():
    x = simulate_eog(200, random_state=0)
    assert _power_fraction(x, 256, 0, 10).mean() > 0.98
    # Blinks of 100-300 µV make some peak-to-peak values that large.
    ptp = np.ptp(x, axis=1)
    assert 80e-6 < np.median(ptp) < 600e-6 and ptp.max() < 1e-3


def test_simulate_emg_in_band():
    x = simulate_emg(200, random_state=0)
    assert _power_fraction(x, 256, 20, 120).mean() > 0.97
    rms = x.std(axis=1)
    assert rms.min() >= 5e-6 * 0.999 and rms.max() <= 50e-6 * 1.001
    # Bursty: the envelope varies a lot within a segment.
    env = np.abs(x).reshape(200, 16, 32).mean(axis=-1)
    assert np.median(env.max(axis=1) / env.min(axis=1)) > 3


def test_simulate_emg_band_clipped_to_nyquist():
    x = simulate_emg(50, sfreq=128.0, band=(20.0, 120.0), random_state=0)
    assert _power_fraction(x, 128, 20, 64).mean() > 0.97
    with pytest.raises(ValueError, match="band must be"):
        simulate_emg(2, sfreq=100.0, band=(60.0, 80.0))


def test_simulate_epochs_structure():
    contaminated, clean = simulate_epochs(12, n_eeg=8, random_state=0)
    for ep in (contaminated, clean):
        assert isinstance(ep, mne.BaseEpochs)
        assert ep.ch_names[:8] == ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4"]
        assert ep.ch_names[8:] == ["EOG", "EMG"]
        assert ep.get_channel_types()[8:] == ["eog", "emg"]
        assert ep.get_data().shape == (12, 10, 512)
        assert ep.event_id == {"left": 1, "right": 2}
        assert ep.get_montage() is not None
    np.testing.assert_array_equal(contaminated.events, clean.events)
    assert np.bincount(clean.events[:, 2]).tolist() == [0, 6, 6]
    np.testing.assert_array_equal(
        contaminated.get_data(picks=["EOG", "EMG"]),
        clean.get_data(picks=["EOG", "EMG"]),
    )
    eeg = clean.get_data(picks="eeg")
    assert 5e-6 < np.median(eeg.std(axis=-1)) < 60e-6


def test_simulate_epochs_mixing_model():
    contaminated, clean = simulate_epochs(10, n_eeg=16, snr_db=-3.0, random_state=1)
    noisy = contaminated.get_data(picks="eeg")
    truth = clean.get_data(picks="eeg")
    refs = clean.get_data(picks=["EOG", "EMG"])
    art = noisy - truth
    # The SNR of each whole epoch is the requested one.
    snr = snr_db(truth.reshape(10, -1), art.reshape(10, -1))
    np.testing.assert_allclose(snr, -3.0, atol=1e-9)
    # The artifact is exactly w_eog * EOG + w_emg * EMG with fixed weights.
    a = refs.transpose(0, 2, 1).reshape(-1, 2)
    b = art.transpose(0, 2, 1).reshape(-1, 16)
    w, *_ = np.linalg.lstsq(a, b, rcond=None)
    np.testing.assert_allclose(a @ w, b, atol=1e-12)
    names = clean.ch_names
    w_eog = dict(zip(names, w[0], strict=False))
    w_emg = dict(zip(names, w[1], strict=False))
    assert w_eog["Fp1"] > 0.9 and w_eog["F3"] > w_eog["C3"] > w_eog["O1"]
    assert w_emg["T7"] > 0.9 and w_emg["P7"] > w_emg["C3"]
    assert w_emg["C3"] < 0.05 and w_emg["Fp1"] < 0.05


def test_simulate_epochs_artifact_choice():
    contaminated, clean = simulate_epochs(4, n_eeg=4, artifacts=(), random_state=0)
    np.testing.assert_array_equal(contaminated.get_data(), clean.get_data())
    assert contaminated.ch_names == ["Fp1", "Fp2", "F3", "F4"]
    contaminated, _ = simulate_epochs(4, n_eeg=4, artifacts=("eog",), random_state=0)
    assert contaminated.ch_names[-1] == "EOG"
    with pytest.raises(ValueError, match="artifacts must hold only 'eog' and/or 'emg'"):
        simulate_epochs(2, artifacts=("ecg",))
    with pytest.raises(ValueError, match="n_eeg must be at most 32"):
        simulate_epochs(2, n_eeg=40)


def test_simulate_epochs_decodable_with_csp():
    from mne.decoding import CSP
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    _, clean = simulate_epochs(40, artifacts=(), random_state=0)
    clean.filter(8.0, 30.0, verbose=False)
    X, y = clean.get_data(picks="eeg"), clean.events[:, 2]
    clf = make_pipeline(CSP(n_components=4, log=True), LinearDiscriminantAnalysis())
    with mne.utils.use_log_level("warning"):
        assert cross_val_score(clf, X, y, cv=5).mean() > 0.8
