"""Detect, then correct: the gate of the deep denoisers."""

import numpy as np
import pytest
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from mne_denoise import FreqDomainDenoiser, UNetDenoiser
from mne_denoise._protocol import mix_at_snr
from mne_denoise.datasets import simulate_eeg, simulate_emg, simulate_eog
from mne_denoise.denoisers._gate import GATE_RAMP, gate
from mne_denoise.metrics import rrmse_temporal


@pytest.fixture(scope="module")
def segments():
    """Clean simulated EEG (256 Hz, 2 s) and the same with large blinks."""
    clean = simulate_eeg(80, random_state=0)
    eog = simulate_eog(80, random_state=1)
    noisy, clean_z, _, _ = mix_at_snr(clean, eog, -5.0)
    return clean, noisy, clean_z


def test_gate_is_a_smooth_step():
    p = np.linspace(0, 1, 101)
    g = gate(p, 0.5)
    assert g[p <= 0.5 - GATE_RAMP].max() < 1e-12
    assert g[p >= 0.5 + GATE_RAMP].min() > 1 - 1e-12
    assert np.all(np.diff(g) >= 0) and np.isclose(gate(0.5, 0.5), 0.5)
    np.testing.assert_array_equal(gate(p, None), 1.0)


def test_clean_input_passes_unchanged(segments):
    clean, _, _ = segments
    den = FreqDomainDenoiser(sfreq=256.0).fit(clean[:40])
    ungated = FreqDomainDenoiser(sfreq=256.0, threshold=None).fit(clean[:40])
    test = clean[40:]
    # Without the gate the network alters clean EEG; with it, barely.
    assert rrmse_temporal(ungated.transform(test), test).mean() > 0.1
    assert rrmse_temporal(den.transform(test), test).mean() < 0.05
    scores = den.artifact_scores(test)
    assert np.median(scores["gate"]) == 0.0


@pytest.fixture(scope="module")
def emg_segments():
    """The clean segments with large muscle bursts (-5 dB).

    Muscle, not blinks: the shipped time-local network removes simulated
    blinks poorly (RRMSE_t about 2.5 at -5 dB, gated or not; see the
    benchmark page), and this test is about the gate, not the network.
    """
    clean = simulate_eeg(80, random_state=0)
    emg = simulate_emg(80, random_state=1)
    noisy, clean_z, _, _ = mix_at_snr(clean, emg, -5.0)
    return clean, noisy, clean_z


def test_large_artifact_is_corrected(emg_segments):
    clean, noisy, clean_z = emg_segments
    den = FreqDomainDenoiser(sfreq=256.0).fit(clean[:40])
    ungated = FreqDomainDenoiser(sfreq=256.0, threshold=None).fit(clean[:40])
    scores = den.artifact_scores(noisy[40:])
    # The gate opens fully on most windows with a -5 dB blink.
    assert np.median(scores["gate"]) == 1.0
    out, full = den.transform(noisy[40:]), ungated.transform(noisy[40:])
    # Where the gate is open the correction is the network's.
    assert rrmse_temporal(out, clean_z[40:]).mean() < rrmse_temporal(
        noisy[40:], clean_z[40:]).mean() / 2
    assert np.median(rrmse_temporal(out, full)) < 0.05


def test_gate_cross_fades_without_steps(segments):
    clean, _, _ = segments
    # 12 s of clean EEG with a strong blink burst in the middle: the gate
    # opens for the windows around it only.
    x = np.concatenate(list(simulate_eeg(6, random_state=5)))
    blink = np.concatenate(list(simulate_eog(6, random_state=6)))
    blink[: 2 * 512] = 0
    blink[4 * 512:] = 0
    x_noisy = (x + 4 * blink)[np.newaxis, np.newaxis]
    fit_on = clean[:40, np.newaxis]
    den = FreqDomainDenoiser(sfreq=256.0).fit(fit_on)
    full = FreqDomainDenoiser(sfreq=256.0, threshold=None).fit(fit_on)
    g = den.artifact_scores(x_noisy)["gate"][0, 0]
    assert g.max() > 0.99 and g.min() < 0.01  # it opens, and not everywhere
    c_gated = (x_noisy - den.transform(x_noisy))[0, 0]
    c_full = (x_noisy - full.transform(x_noisy))[0, 0]
    # No step where the gate opens: the gated correction changes from one
    # sample to the next no faster than the network's own correction.
    assert np.abs(np.diff(c_gated)).max() <= 1.05 * np.abs(np.diff(c_full)).max()
    # Far from the blink, nothing is corrected.
    assert np.abs(c_gated[:256]).max() < 1e-3 * np.abs(c_full).max()


def test_threshold_none_is_the_ungated_network(segments):
    clean, noisy, _ = segments
    den = FreqDomainDenoiser(sfreq=256.0, threshold=None).fit(clean[:10])
    assert den.detector_ is None
    np.testing.assert_array_equal(den.artifact_scores(noisy[:3])["gate"], 1.0)
    z = noisy[:4]
    # The network's own output (float32), through the windowing and back.
    np.testing.assert_allclose(den.transform(z), den._predict(z, None), atol=1e-5)


def test_scores_describe_epochs_and_channels(epochs):
    den = FreqDomainDenoiser().fit(epochs)
    scores = den.artifact_scores(epochs)
    n_eeg = len(den.clean_idx_)
    assert scores["probability"].shape == (len(epochs), n_eeg, 1)
    assert scores["ch_names"] == [epochs.ch_names[i] for i in den.clean_idx_]
    assert np.all((scores["probability"] >= 0) & (scores["probability"] <= 1))
    assert scores["times"].shape == (1,) and 0 < scores["times"][0] <= 2.0
    # Reference mode: the windows the gate sees, minus the references' share.
    calib = den.detector_calibration_
    assert calib["n_clean_windows"] > 0
    assert calib["n_flagged_windows"] < calib["n_clean_windows"]


def test_threshold_is_checked_and_grid_searchable(epochs):
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\]"):
        FreqDomainDenoiser(threshold=1.5).fit(epochs)
    y = epochs.events[:, 2]
    pipe = make_pipeline(FreqDomainDenoiser(), CSP(n_components=2), LDA())
    grid = GridSearchCV(pipe, {"freqdomaindenoiser__threshold": [0.3, None]},
                        cv=2).fit(epochs, y)
    assert grid.best_params_["freqdomaindenoiser__threshold"] in (0.3, None)


def test_zoo_networks_are_gated_too(epochs):
    den = UNetDenoiser(max_epochs=1, batch_size=16, random_state=0,
                       module__channels=2, module__depth=2).fit(epochs)
    assert den.detector_ is not None
    assert den.artifact_scores(epochs)["gate"].shape[:2] == (len(epochs), 6)


def test_reference_mode_is_never_worse_than_regression():
    import mne

    from mne_denoise import RegressionDenoiser

    rng = np.random.default_rng(3)
    n_ep, n_eeg = 20, 4
    eeg = simulate_eeg(n_ep * n_eeg, random_state=2).reshape(n_ep, n_eeg, 512)
    blink = simulate_eog(n_ep, random_state=4)[:, np.newaxis]
    gains = np.array([2.0, 1.0, 0.5, 0.2])[:, np.newaxis]
    noise = 0.05 * blink.std() * rng.normal(size=blink.shape)
    data = np.concatenate([eeg + gains * blink, blink + noise], axis=1)
    info = mne.create_info([f"E{i}" for i in range(n_eeg)] + ["EOG"], 256.0,
                           ["eeg"] * n_eeg + ["eog"])
    epochs = mne.EpochsArray(data, info, verbose=False).set_eeg_reference(
        [], verbose=False)
    reg = RegressionDenoiser().fit(epochs).transform(epochs).get_data()
    den = FreqDomainDenoiser(noise_estimate="reference").fit(epochs)
    out = den.transform(epochs).get_data()

    def err(x):
        return rrmse_temporal(x[:, :n_eeg], eeg).mean()

    # With the gate closed, reference mode is the (frequency-domain)
    # regression exactly, and with reference_regression='time' MNE's; with
    # the default gate, the network's extra correction of what remains costs
    # at most a little on this case, where regression is near perfect.
    freq = RegressionDenoiser(domain="frequency").fit(epochs).transform(epochs)
    for regression, want in (("frequency", freq.get_data()), ("time", reg)):
        closed = FreqDomainDenoiser(noise_estimate="reference", threshold=1.0,
                                    reference_regression=regression)
        np.testing.assert_allclose(
            err(closed.fit(epochs).transform(epochs).get_data()), err(want),
            rtol=1e-9)
    assert err(freq.get_data()) <= err(reg)
    assert err(out) <= err(reg) + 0.02
    assert err(out) < 0.1 * err(data)


def test_unfolded_network_is_gated_stage_by_stage(segments):
    from mne_denoise import LowRankUnfoldedDenoiser

    clean, noisy, _ = segments
    den = LowRankUnfoldedDenoiser(sfreq=256.0).fit(clean[:40])
    ungated = LowRankUnfoldedDenoiser(sfreq=256.0, threshold=None).fit(clean[:40])
    test = clean[40:]
    assert rrmse_temporal(den.transform(test), test).mean() < 0.5 * rrmse_temporal(
        ungated.transform(test), test).mean()
    # decompose's stages go through the same gate as transform.
    low, _, stages = den.decompose(test, return_stages=True)
    np.testing.assert_allclose(stages[-1][0], den.transform(test), atol=1e-12)
    assert den.artifact_scores(noisy[40:])["probability"].mean() > \
        den.artifact_scores(test)["probability"].mean()


def test_quiet_reference_channels_do_not_change_the_gate():
    # A quiet EOG channel records mostly noise: the gate must not learn that
    # noise is the artifact (it would then flag the EEG's own fast activity).
    import mne

    rng = np.random.default_rng(0)
    eeg = simulate_eeg(40 * 3, 512, 256.0, random_state=0).reshape(40, 3, 512)
    info = mne.create_info(["C3", "Cz", "C4"], 256.0, "eeg")
    plain = mne.EpochsArray(eeg * 1e-5, info, verbose=False)
    ref = mne.EpochsArray(rng.normal(size=(40, 1, 512)) * 1e-6,
                          mne.create_info(["EOG"], 256.0, "eog"), verbose=False)
    with_ref = plain.copy().add_channels([ref], force_update_info=True)
    p0 = FreqDomainDenoiser(noise_estimate="blind").fit(plain).artifact_scores(
        plain)["probability"]
    p1 = FreqDomainDenoiser(noise_estimate="blind").fit(with_ref).artifact_scores(
        with_ref)["probability"]
    np.testing.assert_allclose(p1, p0, atol=1e-10)


def test_calibration_on_the_same_banks_runs_the_network_once(segments, monkeypatch):
    from mne_denoise.denoisers import _deep_base

    clean, _, _ = segments
    monkeypatch.setattr(_deep_base, "_CALIBRATION_MEMO", {})
    monkeypatch.setattr(_deep_base, "_DETECTOR_MEMO", {})
    banks = {"clean_bank": clean[:40], "artifact_bank": [simulate_eog(40)]}
    calls, features = [], []
    predict = FreqDomainDenoiser._predict
    monkeypatch.setattr(FreqDomainDenoiser, "_predict",
                        lambda self, z, n: calls.append(len(z)) or predict(self, z, n))
    compute = _deep_base.detector_features
    monkeypatch.setattr(_deep_base, "detector_features",
                        lambda *a: features.append(1) or compute(*a))
    first = FreqDomainDenoiser(sfreq=256.0).fit(clean[40:42], **banks)
    again = FreqDomainDenoiser(sfreq=256.0).fit(clean[42:44], **banks)
    # The second fit reused the first's calibration: neither the network
    # nor the features ran again, and the detector is its own copy.
    assert len(calls) == 1 and len(features) == 1
    np.testing.assert_array_equal(first.detector_.coef_, again.detector_.coef_)
    assert again.detector_ is not first.detector_
    # Other weights (same shapes) are another network: no reuse.
    other = FreqDomainDenoiser(sfreq=256.0, max_epochs=1, random_state=0,
                               verbose=False).fit(clean[42:44], **banks)
    assert len(calls) == 2
    assert not np.array_equal(other.detector_.coef_, first.detector_.coef_)
    # Other artifacts are another calibration; the network's output on
    # windows already seen is still reused.
    FreqDomainDenoiser(sfreq=256.0).fit(
        clean[40:42], clean_bank=clean[:40],
        artifact_bank=[simulate_eog(40, random_state=1)])
    assert len(features) == 3


def test_the_screen_s_outputs_are_reused_by_the_calibration(segments,
                                                            monkeypatch):
    from mne_denoise.denoisers import _deep_base

    clean, _, _ = segments
    monkeypatch.setattr(_deep_base, "_CALIBRATION_MEMO", {})
    monkeypatch.setattr(_deep_base, "_DETECTOR_MEMO", {})
    seen = []
    predict = FreqDomainDenoiser._predict
    monkeypatch.setattr(FreqDomainDenoiser, "_predict",
                        lambda self, z, n: seen.append(len(z)) or predict(self, z, n))
    den = FreqDomainDenoiser(sfreq=256.0).fit(clean[:80])
    n_own = den.detector_calibration_["n_clean_windows"]
    # the data's own windows, no simulated completion
    assert n_own > 0 and den.detector_calibration_["n_simulated_windows"] == 0
    # Each calibration set is the clean windows and six mixtures of them
    # (EOG, EMG, both; strong and mild): the screen's simulated set and the
    # data's own, each through the network once; the screen's pass over the
    # data's windows is the calibration's first seventh, not a second pass.
    assert sum(seen) == 7 * (_deep_base._SCREEN_WINDOWS + n_own)


def test_data_contaminated_throughout_are_not_taken_for_clean(emg_segments,
                                                              monkeypatch):
    from mne_denoise.denoisers import _deep_base

    clean, noisy, clean_z = emg_segments
    den = FreqDomainDenoiser(sfreq=256.0).fit(noisy[:40])
    # Muscle in every window: a detector calibrated on simulated EEG flags
    # most of them, so none stands for clean EEG and the gate corrects.
    calib = den.detector_calibration_
    assert calib["n_flagged_windows"] > 20 and calib["n_clean_windows"] == 0
    assert np.median(den.artifact_scores(noisy[40:])["gate"]) == 1.0
    fixed = rrmse_temporal(den.transform(noisy[40:]), clean_z[40:]).mean()
    assert fixed < rrmse_temporal(noisy[40:], clean_z[40:]).mean() / 2
    # Without the screen the gate learns the muscle activity as clean EEG.
    monkeypatch.setattr(_deep_base, "_SCREEN_OWN_WINDOWS", False)
    before = FreqDomainDenoiser(sfreq=256.0).fit(noisy[:40])
    assert np.median(before.artifact_scores(noisy[40:])["gate"]) < 0.5
    # Clean data keep their own windows as the clean reference.
    own = FreqDomainDenoiser(sfreq=256.0).fit(clean[:40])
    monkeypatch.setattr(_deep_base, "_SCREEN_OWN_WINDOWS", True)
    screened = FreqDomainDenoiser(sfreq=256.0).fit(clean[:40])
    assert screened.detector_calibration_["n_flagged_windows"] < 20
    assert (screened.detector_calibration_["n_clean_windows"]
            == own.detector_calibration_["n_clean_windows"] > 20)
    np.testing.assert_array_equal(screened.detector_.coef_, own.detector_.coef_)


def test_line_noise_of_the_screen_s_simulated_eeg():
    from mne_denoise.denoisers._gate import with_line_noise

    x = simulate_eeg(200, random_state=0)
    y = with_line_noise(x, 256.0, random_state=0)
    changed = ~np.all(np.isclose(y, x), axis=-1)
    assert 0.35 < changed.mean() < 0.65  # half the windows
    spec = np.abs(np.fft.rfft(y[changed] - x[changed], axis=-1))
    freqs = np.fft.rfftfreq(x.shape[-1], 1 / 256.0)
    assert set(np.round(freqs[spec.argmax(axis=-1)])) == {50.0, 60.0}
    ratio = (y[changed] - x[changed]).std(axis=-1) / x[changed].std(axis=-1)
    assert ratio.min() >= 0.01 * 0.99 and ratio.max() <= 10.0 * 1.01
