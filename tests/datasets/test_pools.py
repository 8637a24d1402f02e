# License: BSD-3-Clause
"""The clean and artifact banks and the benchmark pools (need ../shared/data)."""
import numpy as np
import pytest

from mne_denoise._protocol import MODEL_N_TIMES, MODEL_SFREQ
from mne_denoise.datasets import (
    make_artifact_bank,
    make_benchmark_pools,
    make_clean_bank,
)

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def eog_bank():
    return make_artifact_bank("eog", random_state=0)


@pytest.fixture(scope="module")
def emg_bank():
    return make_artifact_bank("emg", random_state=0)


def _check_bank(bank, kind):
    assert bank.kind == kind and bank.sfreq == MODEL_SFREQ
    assert bank.n_times == MODEL_N_TIMES
    np.testing.assert_allclose(bank.data.mean(axis=1), 0, atol=1e-15)
    assert np.all(bank.data.std(axis=1) > 0)


def test_eegmmidb_clean_windows_are_the_clean_bank_with_their_channels():
    from mne_denoise.datasets._pools import (
        _EEGMMIDB_CLEAN_CHANNELS,
        _eegmmidb_clean_windows,
    )

    windows, names = _eegmmidb_clean_windows(2, verbose=False)
    bank = make_clean_bank(subjects=[2], include_eeglab=False, verbose=False)
    np.testing.assert_array_equal(windows, bank.data)
    assert names.shape == (len(windows),)
    # Every site of the cap's 10-20 subset keeps windows, run by run.
    assert set(names) == set(_EEGMMIDB_CLEAN_CHANNELS)
    # preprocess runs on each run's Raw before it is cut: a gain of 2 doubles
    # the windows (the rejection ranks scale-free scores: the same windows).
    runs = []

    def double(raw):
        runs.append(raw.filenames)
        return raw.copy().apply_function(lambda x: 2 * x)

    doubled, same = _eegmmidb_clean_windows(2, verbose=False, preprocess=double)
    assert len(runs) == 3
    np.testing.assert_array_equal(same, names)
    np.testing.assert_allclose(doubled, 2 * windows, rtol=1e-10, atol=1e-20)

def test_make_clean_bank(assert_volts):
    bank = make_clean_bank(subjects=[2, 3], include_eeglab=False, verbose=False)
    _check_bank(bank, "eeg")
    assert bank.sources == ("physionet_eegmmidb S002", "physionet_eegmmidb S003")
    assert set(bank.groups) == {0, 1}
    # 3 runs per subject of 123 s (S002) or 125 s (S003): 61 or 62 windows
    # x 18 channels per run, 20 % rejected per run.
    per_run = [n - round(0.2 * n) for n in (61 * 18, 62 * 18)]
    assert len(bank) == 3 * sum(per_run)
    assert_volts(bank.data, 1e-6, 2e-4)
    with_eeglab = make_clean_bank(subjects=[2], verbose=False)
    assert with_eeglab.sources[-1] == "eeglab_sample"
    assert len(np.unique(with_eeglab.groups)) == 2
    with pytest.raises(FileNotFoundError, match="subjects present"):
        make_clean_bank(subjects=[42])
    with pytest.raises(ValueError, match="window_s must be at most 3"):
        make_clean_bank(subjects=[2], window_s=4.0)


def test_make_artifact_bank_eog(eog_bank, assert_volts):
    _check_bank(eog_bank, "eog")
    assert eog_bank.sources == (
        "klados_semisim_eog_refs",
        "neurokit_eog_200hz",
        "abbrash_eyetrack_eog_250hz",
        "eeglab_sample",
    )
    assert len(eog_bank) > 800 and len(np.unique(eog_bank.groups)) == 57
    assert_volts(eog_bank.data, 1e-6, 1e-3)
    # The 0.3-10 Hz band: almost no power above 12 Hz.
    spec = np.abs(np.fft.rfft(eog_bank.data, axis=1)) ** 2
    freqs = np.fft.rfftfreq(MODEL_N_TIMES, 1 / MODEL_SFREQ)
    assert spec[:, freqs > 12].sum() < 0.01 * spec.sum()


def test_make_artifact_bank_emg(emg_bank, assert_volts):
    _check_bank(emg_bank, "emg")
    assert emg_bank.sources == (
        "uci_lower_limb_emg_1khz",
        "biosppy_emg_examples_1khz",
        "somach_submental_semg_250hz",
        "simulated",
    )
    # The simulated filler is 20 % of the bank, in groups of its own.
    real = make_artifact_bank("emg", sources=["uci", "biosppy", "somach"])
    n_sim = len(emg_bank) - len(real)
    assert n_sim == round(len(real) * 0.25)
    np.testing.assert_array_equal(emg_bank.data[: len(real)], real.data)
    sim_groups = set(emg_bank.groups[len(real) :])
    assert not sim_groups & set(emg_bank.groups[: len(real)])
    assert_volts(emg_bank.data, 1e-6, 1e-3)
    rms = emg_bank.data.std(axis=1)
    assert np.percentile(rms, 1) > 4e-6  # quiet windows were dropped
    again = make_artifact_bank("emg", random_state=0)
    np.testing.assert_array_equal(again.data, emg_bank.data)


def test_make_artifact_bank_sources():
    sim = make_artifact_bank("emg", sources="simulated", random_state=0)
    assert len(sim) == 1000 and sim.sources == ("simulated",)
    assert len(np.unique(sim.groups)) == 32  # groups of 32 segments
    mix = make_artifact_bank("emg", sources=["biosppy", "simulated"], random_state=0)
    n_real = len(make_artifact_bank("emg", sources="biosppy"))
    assert len(mix) - n_real == round(n_real * 0.25)
    needle = make_artifact_bank("emg", sources="needle")
    assert needle.sources == ("physionet_emgdb_needle_4khz",)
    with pytest.raises(ValueError, match=r"among \['klados'.*'simulated'\]"):
        make_artifact_bank("eog", sources=["uci"])
    with pytest.raises(ValueError, match="Invalid value for the 'kind' parameter"):
        make_artifact_bank("eeg")


def test_make_benchmark_pools():
    pools = make_benchmark_pools(max_segments=50, random_state=0)
    assert set(pools) == {"eeg", "eog", "emg"}
    for kind, parts in pools.items():
        assert len(parts) == 3
        assert all(0 < len(p) <= 50 and p.kind == kind for p in parts)
        g = [set(p.groups) for p in parts]
        assert not (g[0] & g[1] or g[0] & g[2] or g[1] & g[2])
    again = make_benchmark_pools(max_segments=50, random_state=0)
    np.testing.assert_array_equal(again["emg"][2].data, pools["emg"][2].data)
    with pytest.raises(ValueError, match="max_segments must be >= 1"):
        make_benchmark_pools(max_segments=0)


def test_unseen_pools_share_no_source_with_training():
    from mne_denoise.datasets import UNSEEN_SOURCES, make_unseen_pools

    unseen = make_unseen_pools(max_segments=20)
    train = make_benchmark_pools(max_segments=20)
    for kind in ("eog", "emg"):
        assert set(unseen[kind].sources).isdisjoint(
            s for part in train[kind] for s in part.sources)
        assert 0 < len(unseen[kind]) <= 20
    trained = {s for part in train["eeg"] for s in part.sources}
    assert set(unseen["eeg"].sources).isdisjoint(trained)
    assert unseen["eeg_device"].sources == ("openbci_blinks_jaw_alpha",)
    assert len(UNSEEN_SOURCES["eog"]) >= 1 and len(UNSEEN_SOURCES["emg"]) >= 1
