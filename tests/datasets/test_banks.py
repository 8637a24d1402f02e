# License: BSD-3-Clause
import mne
import numpy as np
import pytest

from mne_denoise._protocol import MODEL_N_TIMES, MODEL_SFREQ, welch_psd
from mne_denoise.datasets import (
    SegmentBank,
    artifact_bank_from_mne,
    clean_bank_from_mne,
    segment_signals,
)


def _bank(n_groups=10, per_group=10, n_times=32, kind="eeg", seed=0):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((n_groups * per_group, n_times))
    data -= data.mean(axis=1, keepdims=True)
    groups = np.repeat(np.arange(n_groups), per_group)
    return SegmentBank(data, 256.0, groups, kind, ("test",))


# ---------------------------------------------------------------- SegmentBank


def test_bank_basics():
    bank = _bank(3, 4)
    assert len(bank) == 12
    assert bank.n_times == 32
    assert bank.data.dtype == np.float64 and bank.data.flags.c_contiguous
    assert bank.groups.dtype == np.int64
    assert bank.sources == ("test",)
    assert "12 segments" in repr(bank) and "3 groups" in repr(bank)
    # A single string source becomes a one-element tuple.
    assert SegmentBank(np.zeros((1, 4)), 10, [0], "emg", "x").sources == ("x",)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(data=np.zeros(8)), "must be 2-D"),
        (dict(groups=np.zeros(3, int)), "one entry per segment"),
        (dict(kind="ecg"), "'kind' parameter. Allowed values are 'eeg', 'eog', 'emg',"),
        (dict(data=np.full((4, 8), np.nan)), "must be finite"),
        (dict(sfreq=-1.0), "sfreq must be > 0"),
        (dict(groups=np.array([0.5, 1, 2, 3])), "integer recording ids"),
    ],
)
def test_bank_validation(kwargs, match):
    args = dict(data=np.zeros((4, 8)), sfreq=256.0, groups=np.arange(4), kind="eeg")
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        SegmentBank(**args)


def test_subset():
    bank = _bank(3, 4)
    sub = bank.subset([0, 5, 11])
    np.testing.assert_array_equal(sub.data, bank.data[[0, 5, 11]])
    np.testing.assert_array_equal(sub.groups, [0, 1, 2])
    mask = bank.groups == 1
    assert len(bank.subset(mask)) == 4
    sub.data[0] = 1.0  # a copy: the original is untouched
    assert not np.all(bank.data[0] == 1.0)
    with pytest.raises(ValueError, match="boolean idx must have shape"):
        bank.subset(np.ones(3, bool))


def test_split_disjoint_deterministic():
    bank = _bank(40, 5)
    parts = bank.split((0.8, 0.1, 0.1), random_state=42)
    assert len(parts) == 3
    groups = [set(p.groups) for p in parts]
    assert not (groups[0] & groups[1] or groups[0] & groups[2] or groups[1] & groups[2])
    assert sum(len(p) for p in parts) == len(bank)
    # Equal groups: the fractions are met exactly.
    assert [len(p) for p in parts] == [160, 20, 20]
    again = bank.split((0.8, 0.1, 0.1), random_state=42)
    for a, b in zip(parts, again, strict=True):
        np.testing.assert_array_equal(a.data, b.data)
    other = bank.split((0.8, 0.1, 0.1), random_state=7)
    assert set(other[1].groups) != set(parts[1].groups)


def test_split_unequal_groups_near_targets():
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 30, 60)
    groups = np.repeat(np.arange(60), sizes)
    bank = SegmentBank(np.ones((len(groups), 4)), 100.0, groups, "emg")
    parts = bank.split((0.7, 0.2, 0.1), random_state=0)
    frac = np.array([len(p) for p in parts]) / len(bank)
    np.testing.assert_allclose(frac, [0.7, 0.2, 0.1], atol=0.02)


def test_split_few_groups_nonempty():
    # Big groups first could leave the small parts empty: each part still
    # gets one group.
    groups = np.repeat([0, 1, 2], [100, 100, 1])
    bank = SegmentBank(np.ones((201, 4)), 100.0, groups, "eeg")
    for seed in range(5):
        parts = bank.split(random_state=seed)
        assert all(len(p) > 0 for p in parts)
        assert sorted(len(np.unique(p.groups)) for p in parts) == [1, 1, 1]


def test_split_errors():
    bank = _bank(2, 3)
    with pytest.raises(ValueError, match="Cannot split 2 group"):
        bank.split((0.8, 0.1, 0.1))
    with pytest.raises(ValueError, match="fractions must be positive and sum to 1"):
        bank.split((0.8, 0.3))
    with pytest.raises(ValueError, match="fractions must be positive"):
        bank.split((1.2, -0.2))


def test_concatenate_renumbers_groups():
    a, b = _bank(3, 2), _bank(2, 2, seed=1)
    b.groups = b.groups + 100
    b.sources = ("other", "test")
    c = SegmentBank.concatenate([a, b])
    assert len(c) == 10
    np.testing.assert_array_equal(c.groups, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    assert c.sources == ("test", "other")
    np.testing.assert_array_equal(c.data[6:], b.data)


def test_concatenate_errors():
    a = _bank(2, 2)
    with pytest.raises(ValueError, match="same kind"):
        SegmentBank.concatenate([a, _bank(2, 2, kind="eog")])
    with pytest.raises(ValueError, match="share sfreq and n_times"):
        SegmentBank.concatenate([a, _bank(2, 2, n_times=16)])
    with pytest.raises(ValueError, match="at least one SegmentBank"):
        SegmentBank.concatenate([])
    with pytest.raises(TypeError, match="SegmentBank instances"):
        SegmentBank.concatenate([a, np.zeros((2, 32))])


# ------------------------------------------------------------ segment_signals


def test_segment_signals_shapes_and_resampling():
    rng = np.random.default_rng(0)
    rec0 = rng.standard_normal((3, 2500)) * 1e-5 + 1e-3  # 10 s at 250 Hz, offset
    rec1 = rng.standard_normal(1250) * 1e-5  # 1-D, 5 s
    bank = segment_signals([rec0, rec1], 250.0, kind="eeg", sources=("sim",))
    # 10 s -> 5 windows per channel, 5 s -> 2 windows.
    assert bank.data.shape == (3 * 5 + 2, MODEL_N_TIMES)
    assert bank.sfreq == MODEL_SFREQ
    np.testing.assert_array_equal(bank.groups, [0] * 15 + [1] * 2)
    np.testing.assert_allclose(bank.data.mean(axis=1), 0, atol=1e-18)
    assert bank.sources == ("sim",)
    # Resampling keeps the amplitude of white noise below the new Nyquist.
    assert 0.5e-5 < np.median(bank.data.std(axis=1)) < 1.5e-5


def test_segment_signals_options():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 2560)) * 1e-5
    # A single array is one recording; overlap doubles the windows.
    bank = segment_signals(x, 256.0, kind="emg", step_s=1.0, groups=[7])
    assert len(bank) == 2 * 9
    assert set(bank.groups) == {7}
    # One rate per recording.
    bank = segment_signals([x, x[:, ::2]], [256.0, 128.0], kind="eog")
    assert len(bank) == 2 * 5 + 2 * 5
    # Window length and output rate.
    bank = segment_signals([x], 256.0, kind="eeg", window_s=1.0, sfreq_out=128.0)
    assert bank.data.shape == (2 * 10, 128) and bank.sfreq == 128.0


def test_segment_signals_drops_flat_nan_and_short():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 2560)) * 1e-5
    x[1] = 0.0  # flat channel
    x[2, 1000] = np.nan  # splits channel 2's recording... and all channels'
    short = rng.standard_normal(100)
    bank = segment_signals([x, short], 256.0, kind="eeg")
    # Columns with a NaN split the recording into 0-999 (1 window) and
    # 1001-2559 (3 windows); the flat channel yields nothing.
    assert len(bank) == 2 * (1 + 3)
    assert np.isfinite(bank.data).all()
    assert (bank.data.std(axis=1) > 0).all()



def test_segment_signals_pad_short_pads_as_inference_does():
    from mne_denoise.utils._windowing import pad_to, resample, resample_ratio

    rng = np.random.default_rng(3)
    one_s = rng.standard_normal((2, 160)) * 1e-5 + 1e-4  # 1 s at 160 Hz
    # By default a part shorter than a window is skipped.
    assert len(segment_signals([one_s], 160.0, kind="eeg")) == 0
    bank = segment_signals([one_s], 160.0, kind="eeg", pad_short=True)
    assert bank.data.shape == (2, MODEL_N_TIMES)
    # What transform does to a short epoch: resample, reflect-pad (of the
    # demeaned signal: the banks demean before resampling).
    up, down = resample_ratio(160.0, MODEL_SFREQ)
    centred = one_s - one_s.mean(axis=1, keepdims=True)
    expected = pad_to(resample(centred, up, down), MODEL_N_TIMES)
    expected -= expected.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(bank.data, expected, rtol=0,
                               atol=1e-9 * np.abs(expected).max())
    # The padded half mirrors the recorded one.
    n = MODEL_N_TIMES // 2
    np.testing.assert_array_equal(bank.data[:, n:2 * n - 1],
                                  bank.data[:, n - 2::-1])
    # Below half a window: skipped, padded or not.
    assert len(segment_signals([one_s[:, :150]], 160.0, kind="eeg",
                               pad_short=True)) == 0
    # Parts of a window or more are cut exactly as without the option.
    long = rng.standard_normal((2, 700)) * 1e-5
    a = segment_signals([long, one_s], 160.0, kind="eeg", step_s=1.0)
    b = segment_signals([long, one_s], 160.0, kind="eeg", step_s=1.0,
                        pad_short=True)
    np.testing.assert_array_equal(b.data[:len(a)], a.data)
    np.testing.assert_array_equal(b.groups, [0] * len(a) + [1, 1])


def test_banks_from_short_epochs_pad_short():
    rng = np.random.default_rng(4)
    info = mne.create_info(["C3", "C4", "EOG"], 160.0, ["eeg", "eeg", "eog"])
    epochs = mne.EpochsArray(rng.standard_normal((5, 3, 160)) * 1e-5, info,
                             verbose=False)
    kw = dict(l_freq=None, reject_fraction=0.0)
    assert len(clean_bank_from_mne(epochs, **kw)) == 0
    assert clean_bank_from_mne(epochs, pad_short=True, **kw).data.shape == (
        10, MODEL_N_TIMES)
    assert len(artifact_bank_from_mne(epochs, kind="eog", l_freq=0,
                                      h_freq=100.0)) == 0
    eog = artifact_bank_from_mne(epochs, kind="eog", l_freq=0, h_freq=100.0,
                                 pad_short=True)
    assert eog.data.shape == (5, MODEL_N_TIMES)


def test_segment_signals_band_pass():
    t = np.arange(30 * 250) / 250.0
    x = 1e-5 * (np.sin(2 * np.pi * 5 * t) + np.sin(2 * np.pi * 60 * t))
    bank = segment_signals([x], 250.0, kind="eeg", h_freq=20.0)
    psd, freqs = welch_psd(bank.data, bank.sfreq)
    low = psd[:, (freqs > 3) & (freqs < 7)].sum()
    high = psd[:, (freqs > 55) & (freqs < 65)].sum()
    assert high < 1e-4 * low
    # A low-pass above 90 % of the input Nyquist is skipped, not an error.
    segment_signals([x], 250.0, kind="eeg", h_freq=124.0)


def test_segment_signals_errors():
    x = np.zeros((2, 1000))
    with pytest.raises(ValueError, match="Invalid value for the 'kind' parameter"):
        segment_signals([x], 256.0, kind="ecg")
    with pytest.raises(ValueError, match="groups must have one entry per recording"):
        segment_signals([x, x], 256.0, kind="eeg", groups=[0])
    with pytest.raises(ValueError, match="must be 1-D .* or 2-D"):
        segment_signals([np.zeros((1, 2, 3))], 256.0, kind="eeg")
    with pytest.raises(ValueError, match="Cannot resample"):
        segment_signals([x], 1e6, kind="eeg")
    with pytest.raises(ValueError, match="l_freq .* must be below h_freq"):
        segment_signals([x + 1], 256.0, kind="eeg", l_freq=30.0, h_freq=10.0)
    with pytest.raises(ValueError, match="window_s must be > 0"):
        segment_signals([x], 256.0, kind="eeg", window_s=0)


# ----------------------------------------------------------- from MNE objects


def _raw(n_times=256 * 40, seed=0):
    rng = np.random.default_rng(seed)
    names = ["Fp1", "AF3", "C3", "Cz", "O1", "EOG"]
    types = ["eeg"] * 5 + ["eog"]
    data = rng.standard_normal((6, n_times)) * 1e-5
    info = mne.create_info(names, 256.0, types)
    return mne.io.RawArray(data, info, verbose=False)


def test_clean_bank_from_raw_rejects_and_excludes_frontal():
    raw = _raw()
    # Artifacts in 4 of C3's 20 windows.
    data = raw.get_data()
    for w in (2, 5, 11, 17):
        data[2, w * 512 + 100 : w * 512 + 200] += 5e-4
    raw._data[:] = data
    bank = clean_bank_from_mne(raw, l_freq=None, reject_fraction=0.1)
    # Fp1 and AF3 excluded, EOG not picked: 3 channels x 20 windows, 10 % out.
    assert len(bank) == 54
    assert bank.kind == "eeg" and bank.sfreq == MODEL_SFREQ
    assert set(bank.groups) == {0}
    assert np.abs(bank.data).max() < 1e-4  # the contaminated windows are gone
    assert len(clean_bank_from_mne(raw, exclude_frontal=False, l_freq=None,
                                   reject_fraction=0.0)) == 100  # fmt: skip


def test_clean_bank_from_raw_respects_bad_annotations():
    raw = _raw()
    full = clean_bank_from_mne(raw, l_freq=None, reject_fraction=0.0)
    raw.set_annotations(mne.Annotations([10.5], [3.0], ["BAD_muscle"]))
    cut = clean_bank_from_mne(raw, l_freq=None, reject_fraction=0.0)
    # 0-10.5 s gives 5 windows, 13.5-40 s gives 13: 18 instead of 20.
    assert len(full) == 3 * 20 and len(cut) == 3 * 18


def test_clean_bank_from_epochs():
    raw = _raw()
    epochs = mne.make_fixed_length_epochs(raw, duration=5.0, verbose=False)
    bank = clean_bank_from_mne(epochs, l_freq=None, reject_fraction=0.25)
    # 8 epochs x 2 windows x 3 channels, a quarter rejected.
    assert len(bank) == 36
    np.testing.assert_allclose(bank.data.mean(axis=1), 0, atol=1e-18)


def test_clean_bank_errors():
    raw = _raw()
    with pytest.raises(TypeError, match="mne.io.Raw or mne.Epochs"):
        clean_bank_from_mne(np.zeros((2, 100)))
    with pytest.raises(ValueError, match="reject_fraction must be in"):
        clean_bank_from_mne(raw, reject_fraction=1.0)
    with pytest.raises(ValueError, match="exclude_frontal=False"):
        clean_bank_from_mne(raw, picks=["Fp1", "AF3"])


def test_artifact_bank_from_mne_eog_band():
    raw = _raw()
    t = raw.times
    eog = 1e-4 * np.sin(2 * np.pi * 1.0 * t) + 1e-4 * np.sin(2 * np.pi * 30.0 * t)
    raw._data[5] = eog
    bank = artifact_bank_from_mne(raw, kind="eog")
    assert bank.kind == "eog" and len(bank) == 20
    psd, freqs = welch_psd(bank.data, bank.sfreq)
    # The default EOG band (0.3-10 Hz) removes the 30-Hz part.
    assert psd[:, freqs > 20].sum() < 1e-3 * psd.sum()
    # Explicit picks of EEG channels as an EMG source, band 20-120 Hz.
    emg = artifact_bank_from_mne(raw, kind="emg", picks=["C3", "Cz"])
    assert len(emg) == 40


def test_artifact_bank_from_mne_errors():
    raw = _raw()
    with pytest.raises(ValueError, match="Allowed values are 'eog', 'emg', but"):
        artifact_bank_from_mne(raw, kind="eeg")
    with pytest.raises(ValueError, match="no channel of type 'emg'.*set_channel_types"):
        artifact_bank_from_mne(raw, kind="emg")
