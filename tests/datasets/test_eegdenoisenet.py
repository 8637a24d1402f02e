# License: BSD-3-Clause
import hashlib
import re

import numpy as np
import pytest

from mne_denoise.datasets import SegmentBank, fetch_eegdenoisenet
from mne_denoise.datasets._eegdenoisenet import (
    EEGDENOISENET_COMMIT,
    EEGDENOISENET_FILES,
)

SIZES = {"eeg": 5, "eog": 4, "emg": 6}


def _write_tiny(folder, n_times=512):
    """Tiny stand-ins of the published arrays (µV, with offsets)."""
    rng = np.random.default_rng(0)
    hashes = {}
    for kind, (name, _, _) in EEGDENOISENET_FILES.items():
        x = 50.0 * rng.standard_normal((SIZES[kind], n_times)) + 20.0
        np.save(folder / name, x)
        hashes[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return hashes


def test_load_local_files(tmp_path):
    hashes = _write_tiny(tmp_path)
    banks = fetch_eegdenoisenet(tmp_path, download=False, known_hashes=hashes)
    assert set(banks) == {"eeg", "eog", "emg"}
    for kind, bank in banks.items():
        assert isinstance(bank, SegmentBank)
        assert bank.kind == kind and bank.sfreq == 256.0
        assert bank.data.shape == (SIZES[kind], 512)
        np.testing.assert_allclose(bank.data.mean(axis=1), 0, atol=1e-18)
        # µV -> V: std of 50 µV.
        assert 30e-6 < bank.data.std() < 70e-6
        # No recording ids: each segment is its own group.
        np.testing.assert_array_equal(bank.groups, np.arange(SIZES[kind]))
        assert "EEGdenoiseNet" in bank.sources[0]


def test_known_hashes_by_kind_and_none(tmp_path):
    _write_tiny(tmp_path)
    # None skips the check; keys may be kinds.
    banks = fetch_eegdenoisenet(
        tmp_path, download=False, known_hashes={"eeg": None, "eog": None, "emg": None}
    )
    assert len(banks["emg"]) == 6


def test_missing_files_without_download(tmp_path):
    with pytest.raises(
        FileNotFoundError, match="EEG_all_epochs.npy not found.*download=True"
    ):
        fetch_eegdenoisenet(tmp_path / "nothing", download=False)


def test_hash_mismatch(tmp_path):
    hashes = _write_tiny(tmp_path)
    hashes["EOG_all_epochs.npy"] = "0" * 64
    with pytest.raises(ValueError, match="SHA256 of .*EOG_all_epochs.npy"):
        fetch_eegdenoisenet(tmp_path, download=False, known_hashes=hashes)
    # The pinned hashes of the real files do not match the tiny stand-ins.
    with pytest.raises(ValueError, match="expected 8935057"):
        fetch_eegdenoisenet(tmp_path, download=False)


def test_bad_shape(tmp_path):
    hashes = _write_tiny(tmp_path, n_times=100)
    with pytest.raises(ValueError, match="512-sample segments, got shape"):
        fetch_eegdenoisenet(tmp_path, download=False, known_hashes=hashes)


def test_known_hashes_type(tmp_path):
    with pytest.raises(TypeError, match="known_hashes must be a dict"):
        fetch_eegdenoisenet(tmp_path, known_hashes=["abc"])


def test_download_calls_pooch(tmp_path, monkeypatch):
    import pooch

    rng = np.random.default_rng(1)
    calls = []

    def fake_retrieve(url, known_hash, fname, path, progressbar):
        calls.append((url, known_hash, fname, progressbar))
        kind = {v[0]: k for k, v in EEGDENOISENET_FILES.items()}[fname]
        np.save(path / fname, rng.standard_normal((SIZES[kind], 512)))
        return str(path / fname)

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    banks = fetch_eegdenoisenet(
        tmp_path, known_hashes={"EMG_all_epochs.npy": "abc"}, verbose=False
    )
    assert len(calls) == 3 and len(banks["eog"]) == 4
    url, known_hash, fname, progressbar = calls[0]
    assert url == (
        "https://raw.githubusercontent.com/ncclabsustech/EEGdenoiseNet/"
        f"{EEGDENOISENET_COMMIT}/data/EEG_all_epochs.npy"
    )
    assert known_hash == "sha256:" + EEGDENOISENET_FILES["eeg"][2]
    assert fname == "EEG_all_epochs.npy" and progressbar is False
    assert calls[2][1] == "sha256:abc"


def test_default_folder_from_config(tmp_path, monkeypatch):
    monkeypatch.setenv("MNE_DENOISE_DATA", str(tmp_path))
    with pytest.raises(
        FileNotFoundError, match=re.escape(str(tmp_path / "eegdenoisenet"))
    ):
        fetch_eegdenoisenet(download=False)
