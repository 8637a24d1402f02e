# License: BSD-3-Clause
"""The readers of the shared EEG recordings (need ../shared/data)."""
import numpy as np
import pytest

from mne_denoise.datasets import (
    clean_bank_from_mne,
    load_motor_imagery,
    read_eeglab_sample,
    read_eegmmidb,
    read_openbci_blinks,
    read_openbci_cosleep,
)

pytestmark = pytest.mark.shared_data


def test_read_eegmmidb(assert_volts):
    raw = read_eegmmidb(1, (6,), verbose=False)
    assert raw.info["sfreq"] == 160.0 and len(raw.ch_names) == 64
    assert "FC5" in raw.ch_names and "Fp1" in raw.ch_names  # standardized
    assert raw.get_montage() is not None
    assert_volts(raw.get_data())
    both = read_eegmmidb(1, (6, 10), verbose=False)
    assert both.n_times > raw.n_times
    assert "BAD boundary" in both.annotations.description
    with pytest.raises(
        FileNotFoundError, match=r"no run\(s\) \[6\].*runs present: \[4, 8, 12\]"
    ):
        read_eegmmidb(2, (6,))


def test_clean_bank_does_not_cross_run_boundaries():
    kw = dict(picks=["C3", "Cz", "C4"], l_freq=None, reject_fraction=0.0)
    runs = [read_eegmmidb(4, (r,), verbose=False) for r in (6, 10)]
    both = clean_bank_from_mne(read_eegmmidb(4, (6, 10), verbose=False), **kw)
    # 123 s per run: 61 windows each; one spanning the join would make 62+.
    assert len(both) == sum(len(clean_bank_from_mne(r, **kw)) for r in runs) == 366


def test_load_motor_imagery():
    epochs = load_motor_imagery(1, verbose=False)
    assert epochs.event_id == {"hands": 2, "feet": 3}
    assert len(epochs) == 45 and len(epochs.ch_names) == 64
    assert epochs.get_data().shape[-1] == 481  # 0.5-3.5 s at 160 Hz
    lr = load_motor_imagery(2, runs=(4,), l_freq=None, h_freq=None, verbose=False)
    assert lr.event_id == {"left": 2, "right": 3}
    with pytest.raises(ValueError, match="runs must all come from one task family"):
        load_motor_imagery(1, runs=(4, 6))


def test_read_eeglab_sample(assert_volts):
    raw = read_eeglab_sample(verbose=False)
    assert raw.info["sfreq"] == 128.0 and len(raw.ch_names) == 32
    assert raw.get_channel_types(picks=["EOG1", "EOG2"]) == ["eog", "eog"]
    assert_volts(raw.get_data(picks="eeg"))


def test_read_openbci_cosleep(assert_volts):
    raw = read_openbci_cosleep(verbose=False)
    assert raw.info["sfreq"] == 125.0
    types = dict(zip(raw.ch_names, raw.get_channel_types(), strict=True))
    assert types["EOG"] == "eog" and types["EMG"] == "emg" and types["ECG"] == "ecg"
    assert types["acc1"] == "misc" and types["Trigger"] == "stim"
    assert raw.info["bads"] == ["ECG"]
    assert_volts(raw.get_data(picks=["EOG", "EMG", "C3"]))


def test_read_openbci_blinks(assert_volts):
    raw = read_openbci_blinks(verbose=False)
    assert raw.ch_names == ["Fp1", "Fp2", "C3", "C4", "P7", "P8", "O1", "O2"]
    assert raw.info["sfreq"] == 250.0 and raw.n_times == 22490
    x = raw.get_data()
    np.testing.assert_allclose(x.mean(axis=1), 0, atol=1e-12)
    assert_volts(x, hi=1e-2)  # DC drifts of mV remain after mean removal
