import numpy as np
import pytest

from mne_denoise._protocol import (
    multichannel_artifact_scale,
    multichannel_snr_db,
    snr_db,
)
from mne_denoise.datasets._montage import _builtin_montage
from mne_denoise.datasets._multichannel import (
    MONTAGE_SUBSETS,
    MultichannelBank,
    MultichannelSimulator,
    channel_directions,
    least_contaminated,
    make_multichannel_clean_bank,
    make_multichannel_simulator,
    ocular_patterns,
)

NAMES = ("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T7", "C3", "Cz", "C4",
         "T8", "P7", "P3", "Pz", "P4", "P8", "O1", "O2", "Oz")


@pytest.fixture(scope="module")
def sim():
    rng = np.random.default_rng(0)
    pos = _builtin_montage("1005").get_positions()["ch_pos"]
    data = rng.normal(size=(30, len(NAMES), 512)) * 1e-5
    bank = MultichannelBank(data, NAMES, np.array([pos[n] for n in NAMES]),
                            np.repeat([1, 2, 3], 10))
    eog = rng.normal(size=(20, 512)).cumsum(axis=1) * 1e-6
    emg = rng.normal(size=(20, 512)) * 1e-5
    return MultichannelSimulator(bank, eog, emg)


def test_multichannel_snr_is_that_of_the_worst_channel():
    rng = np.random.default_rng(0)
    clean = rng.normal(size=(4, 5, 256))
    art = rng.normal(size=(4, 5, 256)) * np.array([1.0, 0.5, 0.2, 0.1, 0.0])[:, None]
    lam = multichannel_artifact_scale(clean, art, -3.0)
    noise = lam[:, None, None] * art
    np.testing.assert_allclose(multichannel_snr_db(clean, noise), -3.0)
    per = snr_db(clean, noise)
    np.testing.assert_allclose(per.min(axis=-1), -3.0)
    assert np.all(per[:, 1:] > -3.0)
    # One channel: EEGdenoiseNet's SNR exactly.
    np.testing.assert_allclose(multichannel_snr_db(clean[:, :1], noise[:, :1]),
                               snr_db(clean[:, 0], noise[:, 0]))


def test_channel_directions():
    pos = _builtin_montage("1005").get_positions()["ch_pos"]
    xyz = np.array([pos[n] for n in NAMES])
    d = channel_directions(xyz)
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), 1.0)
    # Independent of the head's size, and Cz points up.
    np.testing.assert_allclose(channel_directions(1.3 * xyz), d, atol=1e-6)
    assert d[NAMES.index("Cz"), 2] > 0.9
    # Three channels do not define a sphere: the template's centre is used,
    # so a subset gets about the directions it has in the whole cap (within
    # the 6 degrees between the two centres).
    sub = channel_directions(xyz[[0, 9, 18]])
    assert np.all(np.sum(sub * d[[0, 9, 18]], axis=1) > np.cos(np.radians(6)))


def test_sessions_patterns(sim):
    rng = np.random.RandomState(0)
    p = sim.session(list(NAMES), rng)
    assert p["eog"].shape == (20,) and 1 <= len(p["emg"]) <= 3
    assert np.abs(p["eog"]).max() <= 1 + 1e-9
    # The model ocular pattern falls from the front to the back of the head.
    assert p["eog"][NAMES.index("Fp1")] > 3 * abs(p["eog"][NAMES.index("O1")])
    # Sessions differ; a subset's patterns are the whole cap's restricted.
    q = sim.session(list(NAMES), rng)
    assert not np.allclose(p["eog"], q["eog"])
    rng1, rng2 = np.random.RandomState(5), np.random.RandomState(5)
    full, part = sim.session(list(NAMES), rng1), sim.session(["Fp1", "O2"], rng2)
    np.testing.assert_allclose(part["eog"], full["eog"][[0, 18]])


def test_batch(sim):
    rng = np.random.RandomState(1)
    b = sim.batch(12, n_channels=7, rng=rng, snr_range=(-5.0, -1.0),
                  clean_probability=0.0, reference_probability=1.0)
    assert b["x"].shape == (12, 9, 512) and b["y"].shape == (12, 7, 512)
    assert b["pos"].shape == (12, 9, 3) and b["kind"].shape == (12, 9)
    assert (b["kind"][:, 7:] == [2, 3]).all() and b["mask"][:, :7].all()
    np.testing.assert_allclose(np.linalg.norm(b["pos"][:, :7], axis=-1), 1.0)
    eeg = b["x"][:, :7]
    # One scale per item, the noisy EEG's; the SNR of the worst channel is
    # in range.
    np.testing.assert_allclose((eeg - eeg.mean(-1, keepdims=True)).std(axis=(1, 2)),
                               1.0, rtol=1e-6)
    snr = multichannel_snr_db(b["y"], eeg - b["y"])
    assert np.all(snr > -5.0 - 1e-6) and np.all(snr < -1.0 + 1e-6)
    clean = sim.batch(3, n_channels=4, rng=rng, clean_probability=1.0)
    np.testing.assert_allclose(clean["x"][:, :4], clean["y"])
    assert not clean["mask"][:, 4:].any()


def test_epochs_one_session(sim):
    rng = np.random.RandomState(2)
    snrs = np.array([-4.0, 0.0, 2.0])
    noisy, clean = sim.epochs([0, 1, 2], MONTAGE_SUBSETS[19], "eog+emg", snrs=snrs,
                              rng=rng)
    assert noisy.ch_names[-2:] == ["EOG", "EMG"]
    x, c = noisy.get_data(picks="eeg"), clean.get_data(picks="eeg")
    np.testing.assert_allclose(multichannel_snr_db(c, x - c), snrs, atol=1e-6)
    np.testing.assert_array_equal(noisy.get_data(picks=["EOG", "EMG"]),
                                  clean.get_data(picks=["EOG", "EMG"]))
    assert noisy.get_montage() is not None
    # The same topography in every epoch (one head): the artifact is rank 2.
    none, _ = sim.epochs([0, 1], NAMES, "clean", snrs=[0, 0], rng=rng)
    np.testing.assert_array_equal(none.get_data(picks="eeg"),
                                  sim.clean.data[[0, 1]])


def test_least_contaminated_and_bank():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 4, 100))
    x[7, 2] *= 30
    keep = least_contaminated(x, 0.1)
    assert 7 not in keep and len(keep) == 18
    bank = MultichannelBank(x, ["a", "b", "c", "d"], None, np.zeros(20))
    sub = bank.subset([0, 1], ["c", "a"])
    assert sub.pos is None and sub.data.shape == (2, 2, 100)
    np.testing.assert_array_equal(sub.data[:, 0], x[:2, 2])
    # Without positions every channel sees the whole artifact.
    sim = MultichannelSimulator(bank, rng.normal(size=(5, 100)), None)
    assert np.all(sim.session(["a", "b"], np.random.RandomState(0))["eog"] == 1)


@pytest.mark.shared_data
def test_real_data():
    dirs, patterns = ocular_patterns()
    assert dirs.shape == (30, 3) and len(patterns) >= 2
    np.testing.assert_allclose(np.abs(patterns).max(axis=1), 1.0)
    bank = make_multichannel_clean_bank([15], runs=(4,))
    assert bank.data.shape[1:] == (64, 512) and set(bank.groups) == {15}
    assert set(MONTAGE_SUBSETS[32]) <= set(bank.ch_names)
    assert set(MONTAGE_SUBSETS[19]) <= set(bank.ch_names)
    assert 1e-7 < np.median(bank.data.std(axis=-1)) < 1e-4  # volts


def test_simulated_eog_share_is_checked():
    with pytest.raises(ValueError, match=r"simulated_eog_share must be in \[0, 1\)"):
        make_multichannel_simulator("test", simulated_eog_share=1.0)


@pytest.mark.shared_data
def test_simulated_eog_share():
    real = make_multichannel_simulator("test", max_windows=1)
    mixed = make_multichannel_simulator("test", max_windows=1,
                                        simulated_eog_share=0.5)
    n = len(real.eog)
    assert len(mixed.eog) == 2 * n
    np.testing.assert_allclose(mixed.eog[:n], real.eog)
    # The added waveforms are simulated blinks: brief, large excursions.
    assert np.ptp(mixed.eog[n:], axis=-1).mean() > 5e-5
