# License: BSD-3-Clause
"""get_shared_data_path and the data set folders (no shared data needed)."""
import pytest

from mne_denoise.datasets import get_shared_data_path, read_eeglab_sample


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
