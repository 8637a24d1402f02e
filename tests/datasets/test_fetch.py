"""The fetchers, offline: pooch pointed at local files the tests write."""

import hashlib
import shutil

import mne
import numpy as np
import pytest

from mne_denoise.datasets import (
    _fetch,
    _paths,
    get_shared_data_path,
    read_eeglab_sample,
    read_eegmmidb,
)


def _copying_downloader(sources):
    """A pooch downloader that copies ``sources[url]`` instead of downloading."""
    def download(url, output_file, pooch_obj):
        shutil.copyfile(sources[url], output_file)
    return download


@pytest.fixture
def no_shared(monkeypatch, tmp_path):
    """No shared folder anywhere; downloads go to tmp_path/downloads."""
    def missing(path=None):
        raise FileNotFoundError("Could not find the shared data folder.")

    monkeypatch.setattr(_paths, "get_shared_data_path", missing)
    monkeypatch.setenv(_fetch.DOWNLOAD_ENV, str(tmp_path / "downloads"))
    monkeypatch.delenv(_fetch.ALLOW_ENV, raising=False)
    return tmp_path / "downloads"


@pytest.fixture
def fake_remote(monkeypatch, tmp_path):
    """A one-file data set served from a local file, with its real hash."""
    src = tmp_path / "served.csv"
    src.write_text("1,2,3\n")
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    url = "https://example.org/repo/abc123/data/served.csv"
    monkeypatch.setitem(_fetch.REMOTE, "fake_set", dict(
        licence="CC0", files={"values.csv": (url, sha)}))
    return {url: src}


def test_fetch_dataset_downloads_checks_and_records(fake_remote, tmp_path):
    folder = _fetch.fetch_dataset("fake_set", path=tmp_path / "dl",
                                  downloader=_copying_downloader(fake_remote))
    assert folder == tmp_path / "dl" / "fake_set"
    assert (folder / "values.csv").read_text() == "1,2,3\n"
    source = (folder / "SOURCE.txt").read_text()
    assert "CC0" in source and "https://example.org/repo/abc123" in source
    assert _fetch.downloaded_dataset_dir("fake_set", tmp_path / "dl") == folder


def test_a_download_that_differs_is_refused(fake_remote, tmp_path):
    (url, src), = fake_remote.items()
    src.write_text("tampered\n")
    with pytest.raises(ValueError, match="(?i)hash"):
        _fetch.fetch_dataset("fake_set", path=tmp_path / "dl",
                             downloader=_copying_downloader(fake_remote))
    assert not (tmp_path / "dl" / "fake_set" / "values.csv").exists()


def test_loaders_fall_back_to_downloading(no_shared, fake_remote, monkeypatch):
    calls = []
    real = _fetch.fetch_dataset

    def fetch(name, **kw):
        calls.append(name)
        return real(name, downloader=_copying_downloader(fake_remote), **kw)

    monkeypatch.setattr(_fetch, "fetch_dataset", fetch)
    folder = _paths._dataset_dir("fake_set", None)
    assert folder == no_shared / "fake_set" and calls == ["fake_set"]
    # Downloaded once: the next call reads the download folder.
    assert _paths._dataset_dir("fake_set", None) == folder and calls == ["fake_set"]


def test_downloads_can_be_turned_off(no_shared, fake_remote, monkeypatch):
    monkeypatch.setenv(_fetch.ALLOW_ENV, "0")
    with pytest.raises(FileNotFoundError, match="Downloads are off"):
        _paths._dataset_dir("fake_set", None)


def test_an_explicit_path_is_never_replaced_by_a_download(tmp_path):
    with pytest.raises(FileNotFoundError, match="shared data folder"):
        _paths._dataset_dir("eeglab_sample", tmp_path)


def test_repacked_sets_say_why_they_cannot_be_downloaded(tmp_path):
    with pytest.raises(FileNotFoundError, match="repacked.*MNE_DENOISE_SHARED"):
        _fetch.fetch_dataset("uci_lower_limb_emg_1khz", path=tmp_path)


def test_eegmmidb_comes_through_mne_eegbci(no_shared, monkeypatch):
    from mne.datasets import eegbci

    names = ["Fc5.", "C3..", "Cz..", "C4.."]
    info = mne.create_info(names, 160.0, "eeg")
    tiny = mne.io.RawArray(
        np.random.default_rng(0).normal(size=(4, 1600)) * 1e-5, info,
        verbose=False)
    calls = []

    def load_data(subject, runs, *, path, update_path, verbose=None):
        # Where MNE puts the files, as MNE's own load_data does.
        base = path / "MNE-eegbci-data" / "files" / "eegmmidb" / "1.0.0"
        out = []
        for run in runs:
            f = base / f"S{subject:03d}" / f"S{subject:03d}R{run:02d}.edf"
            f.parent.mkdir(parents=True, exist_ok=True)
            mne.export.export_raw(f, tiny, verbose=False)
            out.append(f)
        calls.append((subject, tuple(runs), update_path))
        return out

    monkeypatch.setattr(eegbci, "load_data", load_data)
    raw = read_eegmmidb(subject=1, runs=[4])
    assert raw.ch_names == ["FC5", "C3", "Cz", "C4"]
    assert raw.info["sfreq"] == 160.0
    # Every subject and run the shared folder holds, never the user's MNE
    # config changed (update_path=False).
    assert dict((s, r) for s, r, _ in calls) == _fetch.EEGMMIDB_RUNS
    assert not any(u for _, _, u in calls)


@pytest.mark.shared_data
def test_pinned_hashes_are_those_of_the_shared_copies():
    root = _paths.get_shared_data_path()
    for name, spec in _fetch.REMOTE.items():
        for fname, (url, sha) in spec["files"].items():
            digest = hashlib.sha256((root / name / fname).read_bytes()).hexdigest()
            assert digest == sha, (name, fname)
            assert url.startswith("https://raw.githubusercontent.com/")
            # The address names the commit the PROVENANCE names.
            provenance = (root / name / "PROVENANCE.md").read_text()
            assert url.split("/")[5] in provenance, (name, url)


@pytest.mark.shared_data
def test_a_downloaded_eeglab_sample_reads_as_the_shared_one(no_shared,
                                                            monkeypatch):
    # pooch pointed at the shared copy: the files it "downloads" pass the
    # pinned hashes, and the reader, finding no shared folder, reads them.
    root = get_shared_data_path()  # the real one (no_shared patches _paths')
    sources = {url: root / "eeglab_sample" / f
               for f, (url, _) in _fetch.REMOTE["eeglab_sample"]["files"].items()}
    _fetch.fetch_dataset("eeglab_sample", downloader=_copying_downloader(sources))
    got = read_eeglab_sample(verbose=False)
    assert got.filenames[0].parent == no_shared / "eeglab_sample"
    monkeypatch.setattr(_paths, "get_shared_data_path", get_shared_data_path)
    want = read_eeglab_sample(path=root, verbose=False)
    np.testing.assert_array_equal(got.get_data(), want.get_data())
    assert got.ch_names == want.ch_names
