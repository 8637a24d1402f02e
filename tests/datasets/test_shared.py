# License: BSD-3-Clause
import numpy as np
import pytest

from mne_denoise._protocol import MODEL_N_TIMES, MODEL_SFREQ
from mne_denoise.datasets import (
    get_shared_data_path,
    load_emg_recordings,
    load_eog_recordings,
    load_motor_imagery,
    make_artifact_bank,
    make_benchmark_pools,
    make_clean_bank,
    read_eeglab_sample,
    read_eegmmidb,
    read_openbci_blinks,
    read_openbci_cosleep,
)

try:
    get_shared_data_path()
except FileNotFoundError:
    _HAVE_SHARED = False
else:
    _HAVE_SHARED = True


def requires_shared(func):
    """Mark a test as reading ../shared/data and skip it when absent."""
    skip = pytest.mark.skipif(not _HAVE_SHARED, reason="shared data not found")
    return pytest.mark.shared_data(skip(func))


def _assert_volts(x, lo=1e-7, hi=1e-3):
    """Channel standard deviations in a plausible range of volts."""
    std = np.asarray(x).std(axis=-1)
    assert np.all(std > lo) and np.all(std < hi), std


# ----------------------------------------------------------------- data path


def _fake_shared(tmp_path):
    data = tmp_path / "shared" / "data"
    (data / "physionet_eegmmidb").mkdir(parents=True)
    return data


def test_get_shared_data_path_explicit(tmp_path):
    data = _fake_shared(tmp_path)
    assert get_shared_data_path(data) == data.resolve()
    assert get_shared_data_path(data.parent) == data.resolve()  # parent accepted
    assert get_shared_data_path(str(data)) == data.resolve()


def test_get_shared_data_path_env_and_cwd(tmp_path, monkeypatch):
    data = _fake_shared(tmp_path)
    monkeypatch.setenv("MNE_DENOISE_SHARED", str(data.parent))
    assert get_shared_data_path() == data.resolve()
    monkeypatch.delenv("MNE_DENOISE_SHARED")
    work = tmp_path / "repo"
    work.mkdir()
    monkeypatch.chdir(work)  # ../shared/data relative to the working dir
    assert get_shared_data_path() == data.resolve()


def test_get_shared_data_path_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="tried path: .*MNE_DENOISE_SHARED"):
        get_shared_data_path(tmp_path)


def test_missing_dataset_folder(tmp_path):
    data = _fake_shared(tmp_path)
    with pytest.raises(FileNotFoundError, match="'eeglab_sample' is missing"):
        read_eeglab_sample(path=data)


# ------------------------------------------------------------------- readers


@requires_shared
def test_read_eegmmidb():
    raw = read_eegmmidb(1, (6,), verbose=False)
    assert raw.info["sfreq"] == 160.0 and len(raw.ch_names) == 64
    assert "FC5" in raw.ch_names and "Fp1" in raw.ch_names  # standardized
    assert raw.get_montage() is not None
    _assert_volts(raw.get_data())
    both = read_eegmmidb(1, (6, 10), verbose=False)
    assert both.n_times > raw.n_times
    assert "BAD boundary" in both.annotations.description
    with pytest.raises(
        FileNotFoundError, match=r"no run\(s\) \[6\].*runs present: \[4, 8, 12\]"
    ):
        read_eegmmidb(2, (6,))


@requires_shared
def test_clean_bank_does_not_cross_run_boundaries():
    from mne_denoise.datasets import clean_bank_from_mne

    kw = dict(picks=["C3", "Cz", "C4"], l_freq=None, reject_fraction=0.0)
    runs = [read_eegmmidb(4, (r,), verbose=False) for r in (6, 10)]
    both = clean_bank_from_mne(read_eegmmidb(4, (6, 10), verbose=False), **kw)
    # 123 s per run: 61 windows each; one spanning the join would make 62+.
    assert len(both) == sum(len(clean_bank_from_mne(r, **kw)) for r in runs) == 366


@requires_shared
def test_load_motor_imagery():
    epochs = load_motor_imagery(1, verbose=False)
    assert epochs.event_id == {"hands": 2, "feet": 3}
    assert len(epochs) == 45 and len(epochs.ch_names) == 64
    assert epochs.get_data().shape[-1] == 481  # 0.5-3.5 s at 160 Hz
    lr = load_motor_imagery(2, runs=(4,), l_freq=None, h_freq=None, verbose=False)
    assert lr.event_id == {"left": 2, "right": 3}
    with pytest.raises(ValueError, match="runs must all come from one task family"):
        load_motor_imagery(1, runs=(4, 6))


@requires_shared
def test_read_eeglab_sample():
    raw = read_eeglab_sample(verbose=False)
    assert raw.info["sfreq"] == 128.0 and len(raw.ch_names) == 32
    assert raw.get_channel_types(picks=["EOG1", "EOG2"]) == ["eog", "eog"]
    _assert_volts(raw.get_data(picks="eeg"))


@requires_shared
def test_read_openbci_cosleep():
    raw = read_openbci_cosleep(verbose=False)
    assert raw.info["sfreq"] == 125.0
    types = dict(zip(raw.ch_names, raw.get_channel_types(), strict=True))
    assert types["EOG"] == "eog" and types["EMG"] == "emg" and types["ECG"] == "ecg"
    assert types["acc1"] == "misc" and types["Trigger"] == "stim"
    assert raw.info["bads"] == ["ECG"]
    _assert_volts(raw.get_data(picks=["EOG", "EMG", "C3"]))


@requires_shared
def test_read_openbci_blinks():
    raw = read_openbci_blinks(verbose=False)
    assert raw.ch_names == ["Fp1", "Fp2", "C3", "C4", "P7", "P8", "O1", "O2"]
    assert raw.info["sfreq"] == 250.0 and raw.n_times == 22490
    x = raw.get_data()
    np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-12)
    _assert_volts(x, hi=1e-2)  # DC drifts of mV remain after mean removal


@requires_shared
def test_load_eog_recordings():
    recs = load_eog_recordings()
    names = [n for _, _, n in recs]
    assert sum(n.startswith("klados") for n in names) == 54
    rates = {n.split()[0]: fs for _, fs, n in recs}
    assert rates == {
        "klados_semisim_eog_refs": 200.0,
        "neurokit_eog_200hz": 200.0,
        "abbrash_eyetrack_eog_250hz": 250.0,
        "eeglab_sample": 128.0,
        "openbci_cosleep_psg_eog_emg": 125.0,
    }
    for x, _, name in recs:
        assert x.ndim == 2, name
        np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-12)
        _assert_volts(x, 1e-6, 2e-3)  # EOG: µV to a few mV
    assert len(load_eog_recordings(["neurokit", "eyetrack"])) == 2
    with pytest.raises(ValueError, match=r"among \['klados', 'neurokit'"):
        load_eog_recordings("blink")


@requires_shared
def test_load_emg_recordings():
    uci = load_emg_recordings("uci")
    assert len(uci) == 66 and all(x.shape[0] == 4 for x, _, _ in uci)
    assert all(fs == 1000.0 for _, fs, _ in uci)
    assert sum(x.shape[1] for x, _, _ in uci) == 1325048  # valid rows
    for source in ("uci", "biosppy", "needle", "cosleep"):
        for x, _, _ in load_emg_recordings(source):
            np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-12)
            _assert_volts(x, 1e-7, 1e-3)
    somach = load_emg_recordings("somach")
    assert 3800 < len(somach) < 3934  # rail-clipped recordings dropped
    assert all(x.shape[0] == 2 and fs == 250.0 for x, fs, _ in somach)
    with pytest.raises(ValueError, match=r"among \['uci', 'biosppy'"):
        load_emg_recordings(["uci", "face"])


# --------------------------------------------------------------------- banks


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


@requires_shared
def test_make_clean_bank():
    bank = make_clean_bank(subjects=[2, 3], include_eeglab=False, verbose=False)
    _check_bank(bank, "eeg")
    assert bank.sources == ("physionet_eegmmidb S002", "physionet_eegmmidb S003")
    assert set(bank.groups) == {0, 1}
    # 3 runs per subject of 123 s (S002) or 125 s (S003): 61 or 62 windows
    # x 18 channels per run, 20 % rejected per run.
    per_run = [n - round(0.2 * n) for n in (61 * 18, 62 * 18)]
    assert len(bank) == 3 * sum(per_run)
    _assert_volts(bank.data, 1e-6, 2e-4)
    with_eeglab = make_clean_bank(subjects=[2], verbose=False)
    assert with_eeglab.sources[-1] == "eeglab_sample"
    assert len(np.unique(with_eeglab.groups)) == 2
    with pytest.raises(FileNotFoundError, match="subjects present"):
        make_clean_bank(subjects=[42])
    with pytest.raises(ValueError, match="window_s must be at most 3"):
        make_clean_bank(subjects=[2], window_s=4.0)


@requires_shared
def test_make_artifact_bank_eog(eog_bank):
    _check_bank(eog_bank, "eog")
    assert eog_bank.sources == (
        "klados_semisim_eog_refs",
        "neurokit_eog_200hz",
        "abbrash_eyetrack_eog_250hz",
        "eeglab_sample",
    )
    assert len(eog_bank) > 800 and len(np.unique(eog_bank.groups)) == 57
    _assert_volts(eog_bank.data, 1e-6, 1e-3)
    # The 0.3-10 Hz band: almost no power above 12 Hz.
    spec = np.abs(np.fft.rfft(eog_bank.data, axis=1)) ** 2
    freqs = np.fft.rfftfreq(MODEL_N_TIMES, 1 / MODEL_SFREQ)
    assert spec[:, freqs > 12].sum() < 0.01 * spec.sum()


@requires_shared
def test_make_artifact_bank_emg(emg_bank):
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
    _assert_volts(emg_bank.data, 1e-6, 1e-3)
    rms = emg_bank.data.std(axis=1)
    assert np.percentile(rms, 1) > 4e-6  # quiet windows were dropped
    again = make_artifact_bank("emg", random_state=0)
    np.testing.assert_array_equal(again.data, emg_bank.data)


@requires_shared
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


@requires_shared
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
