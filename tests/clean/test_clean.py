import json

import mne
import numpy as np
import pytest

from mne_denoise import FreqDomainDenoiser
from mne_denoise.clean import (
    METHODS,
    clean_raw,
    clean_recordings,
    find_recordings,
    make_denoiser,
)
from mne_denoise.cli import main

from .conftest import make_raw

#: EDF keeps no channel types: EOG1 comes back typed EEG, and the denoiser
#: says so (channel hygiene), in the command as in the Python API.
EDF_WARNING = r"set_channel_types\(\{'EOG1': 'eog'\}\)"


def _api(path):
    """The Python API's result on a file, as the README shows it."""
    raw = mne.io.read_raw(path, preload=True, verbose=False)
    return FreqDomainDenoiser(device="cpu", random_state=0).fit(raw).apply(raw)


def test_folder_of_fif_and_edf_equals_the_python_api(recordings_dir, tmp_path,
                                                     capsys):
    out = tmp_path / "cleaned"
    with pytest.warns(RuntimeWarning, match=EDF_WARNING):
        assert main(["clean", str(recordings_dir), "--out", str(out),
                     "--device", "cpu"]) == 0
    printed = capsys.readouterr().out
    pairs = {"a_raw.fif": out / "a_denoised_raw.fif",
             "sub/b.edf": out / "sub" / "b_denoised_raw.fif"}
    for src, dst in pairs.items():
        got = mne.io.read_raw_fif(dst, verbose=False)
        if src.endswith(".edf"):
            with pytest.warns(RuntimeWarning, match=EDF_WARNING):
                want = _api(recordings_dir / src)
        else:
            want = _api(recordings_dir / src)
        assert got.ch_names == want.ch_names
        np.testing.assert_allclose(got.get_data(), want.get_data(), rtol=1e-6,
                                   atol=1e-6 * np.abs(want.get_data()).max())
        # Something was cleaned: the blinks of the frontal channels.
        before = mne.io.read_raw(recordings_dir / src, verbose=False).get_data()
        assert not np.allclose(got.get_data()[:2], before[:2])
        report = dst.with_name(dst.name.replace("_raw.fif", "_report.html"))
        text = report.read_text()
        assert "Where the gate corrected" in text and "PSD before/after" in text
        assert f"Wrote {dst}" in printed and f"Wrote {report}" in printed
    # One FIF and one report per recording; the epochs and text files skipped,
    # and no temporary file left behind.
    assert sorted(p.name for p in out.rglob("*")) == sorted(
        ["a_denoised_raw.fif", "a_denoised_report.html", "sub",
         "b_denoised_raw.fif", "b_denoised_report.html"])


@pytest.mark.filterwarnings("ignore:The channels EOG1:RuntimeWarning")
def test_n_jobs_2_writes_the_same_files_as_n_jobs_1(recordings_dir, tmp_path):
    kw = dict(device="cpu", report=False, progress=False)
    one = clean_recordings([recordings_dir], out=tmp_path / "one", n_jobs=1, **kw)
    two = clean_recordings([recordings_dir], out=tmp_path / "two", n_jobs=2, **kw)
    assert [p.relative_to(tmp_path / "one") for p in one] == [
        p.relative_to(tmp_path / "two") for p in two]
    for a, b in zip(one, two, strict=True):
        np.testing.assert_array_equal(
            mne.io.read_raw_fif(a, verbose=False).get_data(),
            mne.io.read_raw_fif(b, verbose=False).get_data())


def test_bids_root_becomes_a_derivative_that_mne_bids_reads(tmp_path):
    mne_bids = pytest.importorskip("mne_bids")
    root = tmp_path / "bids"
    for sub in ("01", "02"):
        bp = mne_bids.BIDSPath(subject=sub, task="rest", root=root,
                               datatype="eeg")
        mne_bids.write_raw_bids(make_raw(int(sub)), bp, allow_preload=True,
                                format="EDF", verbose=False)
    assert main(["clean", str(root), "--device", "cpu", "--no-report"]) == 0
    deriv = root / "derivatives" / "mne-denoise"
    desc = json.loads((deriv / "dataset_description.json").read_text())
    assert desc["DatasetType"] == "derivative"
    assert desc["GeneratedBy"][0]["Name"] == "mne-denoise"
    found = mne_bids.find_matching_paths(deriv, descriptions="denoised",
                                         extensions=".fif")
    assert sorted(p.subject for p in found) == ["01", "02"]
    for bp in found:
        raw = mne_bids.read_raw_bids(bp, verbose=False)
        src = mne_bids.read_raw_bids(bp.copy().update(
            root=root, description=None, extension=".edf"), verbose=False)
        assert raw.ch_names == src.ch_names
        assert raw.get_channel_types() == src.get_channel_types()
        want = FreqDomainDenoiser(device="cpu", random_state=0).fit(
            src.load_data()).apply(src)
        np.testing.assert_allclose(raw.get_data(), want.get_data(), rtol=1e-6,
                                   atol=1e-6 * np.abs(want.get_data()).max())


def test_existing_outputs_are_refused_unless_overwrite(recordings_dir, tmp_path,
                                                       capsys):
    args = ["clean", str(recordings_dir / "a_raw.fif"), "--out", str(tmp_path),
            "--device", "cpu", "--no-report"]
    assert main(args) == 0
    first = (tmp_path / "a_denoised_raw.fif").stat().st_mtime_ns
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--overwrite" in err
    assert (tmp_path / "a_denoised_raw.fif").stat().st_mtime_ns == first
    assert main(args + ["--overwrite"]) == 0


def test_interrupted_write_leaves_no_file(recordings_dir, tmp_path, monkeypatch):
    def interrupted_save(self, fname, **kw):
        with open(fname, "wb") as fid:  # a half-written file
            fid.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(mne.io.BaseRaw, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        clean_recordings([recordings_dir / "a_raw.fif"], out=tmp_path / "out",
                         device="cpu", report=False, progress=False)
    assert list((tmp_path / "out").iterdir()) == []


def test_picks_leave_the_other_channels_unchanged():
    raw = make_raw(3)
    cleaned, den, sub = clean_raw(raw.copy(), make_denoiser(device="cpu"),
                                  picks=["Fp1"])
    assert sub.ch_names == ["Fp1", "EOG1"]  # the reference comes along
    np.testing.assert_array_equal(cleaned.get_data()[1:], raw.get_data()[1:])
    assert not np.allclose(cleaned.get_data()[0], raw.get_data()[0])


def test_inputs_and_methods_are_checked(tmp_path, capsys):
    assert main(["clean", str(tmp_path / "missing.fif"), "--out",
                 str(tmp_path)]) == 2
    assert "No such file or folder" in capsys.readouterr().err
    (tmp_path / "x.xyz").write_text("")
    with pytest.raises(ValueError, match="mne.io.read_raw reads"):
        find_recordings([tmp_path / "x.xyz"], tmp_path / "out")
    with pytest.raises(ValueError, match="--out"):
        find_recordings([tmp_path], None)
    with pytest.raises(ValueError, match="Unknown method 'nope'"):
        make_denoiser("nope")
    with pytest.raises(ValueError, match="needs its EOG/EMG"):
        make_denoiser("regression", mode="blind")
    assert make_denoiser("freq_domain", mode="blind").noise_estimate == "blind"


def test_saved_denoiser_is_applied_as_saved(tmp_path):
    raw = make_raw(4)
    den = FreqDomainDenoiser(device="cpu").fit(raw)
    den.save(tmp_path / "den.pt")
    loaded = make_denoiser(str(tmp_path / "den.pt"), device="cpu")
    cleaned, used, _ = clean_raw(raw.copy(), loaded)
    assert used is loaded
    np.testing.assert_allclose(cleaned.get_data(), den.apply(raw).get_data())


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_is_made_as_named(method):
    den = make_denoiser(method, device="cpu")
    assert type(den).__name__ == METHODS[method]
    if method == "unet":  # the shipped weights, applied as they are
        assert (den.weights, den.max_epochs) == ("pretrained", 0)
    if method.endswith("regression"):
        assert den.domain == ("frequency" if method.startswith("frequency")
                              else "time")


@pytest.mark.parametrize("method, mode, match", [
    ("frequency_regression", "blind", "needs its EOG/EMG"),
    ("spatial", "blind", "has no blind mode"),
    ("ica", "blind", "has no blind mode"),
    ("unet", "reference", "has no reference mode"),
    ("iclabel", "reference", "has no reference mode"),
])
def test_modes_a_method_cannot_take_are_refused(method, mode, match):
    with pytest.raises(ValueError, match=match):
        make_denoiser(method, mode=mode)


@pytest.mark.parametrize("method", ["unet", "frequency_regression", "spatial"])
def test_new_methods_clean_a_recording(method):
    raw = make_raw(5)
    raw.set_montage("colin27_1020")
    cleaned, den, _ = clean_raw(raw.copy(), make_denoiser(method, device="cpu"))
    got, before = cleaned.get_data(), raw.get_data()
    assert got.shape == before.shape and np.isfinite(got).all()
    # The blinks of the frontal channels are reduced; the EOG is left as is.
    assert np.abs(got[:2]).max() < np.abs(before[:2]).max()
    np.testing.assert_array_equal(got[4], before[4])


def test_report_maps_the_gate_when_the_channels_have_positions():
    from mne_denoise.clean._report import make_report

    raw = make_raw(6)
    sections = {}
    for label, inst in (("no montage", raw),
                        ("montage", raw.copy().set_montage("colin27_1020"))):
        cleaned, den, _ = clean_raw(inst.copy(),
                                    make_denoiser("freq_domain", device="cpu"))
        report = make_report(inst, cleaned, den, inst, title=label)
        sections[label] = [item.name for item in report._content]
    assert "Where the gate corrected" in sections["no montage"]
    assert "Where on the scalp" not in sections["no montage"]
    assert "Where on the scalp" in sections["montage"]
