# License: BSD-3-Clause
"""The per-site clean-input study: site groups, wiring and table."""
import numpy as np
import pytest

from mne_denoise.studies import gate_sites
from mne_denoise.studies.gate_sites import SITE_GROUPS, site_of, sites_table


@pytest.mark.parametrize(("name", "group"), [
    ("F7", "frontal"), ("Fz", "frontal"), ("T8.", "temporal"),
    ("cz", "central"), ("P7", "parietal/occipital"),
    ("Oz", "parietal/occipital"), ("Fp1", None), ("AF3", None),
    ("FC5", None), ("EOG", None), ("X", None),
])
def test_site_of(name, group):
    assert site_of(name) == group


def _fake_study(monkeypatch, n_per_site=20):
    """Random windows on one site per group; the methods are stand-ins."""
    rng = np.random.default_rng(0)
    names = np.repeat(["F3", "T7", "Cz", "O1"], n_per_site)
    windows = rng.normal(size=(len(names), 512))
    seen = {}

    def clean_windows(subject, **kwargs):
        seen["preprocess"] = kwargs["preprocess"]
        half = len(names) // 2
        part = slice(0, half) if subject == 11 else slice(half, None)
        return windows[part], names[part]

    def methods(**kwargs):
        seen["calibration"] = kwargs["calibration"]

        def identity(noisy, reference, kind, sfreq):
            seen.setdefault("inputs", []).append(noisy)
            return noisy

        def halve(noisy, reference, kind, sfreq):
            return noisy / 2

        return {"No denoising": identity, "halve": halve}

    monkeypatch.setattr(gate_sites, "_unseen_eegmmidb_subjects",
                        lambda path: [11, 12])
    monkeypatch.setattr(gate_sites, "_eegmmidb_clean_windows", clean_windows)
    monkeypatch.setattr(gate_sites, "make_benchmark_pools", lambda **kw: {
        k: (type("Bank", (), {"data": np.ones((2, 512))})(),) for k in ("eog", "emg")})
    monkeypatch.setattr(gate_sites, "default_methods", methods)
    return windows, names, seen


def test_run_gate_sites_scores_each_group_on_windows_not_calibrated_on(
        monkeypatch, tmp_path):
    windows, names, seen = _fake_study(monkeypatch)
    result = gate_sites.run_gate_sites(out=tmp_path, verbose=False)
    assert list(result["rows"]) == ["all", *SITE_GROUPS]
    n = result["n_windows"]
    assert n["all"] == len(windows) // 2
    assert sum(n[g] for g in SITE_GROUPS) == n["all"]
    # The gate's calibration windows are never tested: half of the windows
    # are calibration, and together with the tested ones they are all.
    calibration = seen["calibration"][0]
    assert len(calibration) + n["all"] == len(windows)
    unit = lambda x: (x - x.mean(1, keepdims=True)) / x.std(1, keepdims=True)  # noqa: E731
    tested = unit(seen["inputs"][0])  # group "all", as the methods saw it
    corr = unit(calibration) @ tested.T / tested.shape[1]
    assert np.abs(corr).max() < 0.5  # no calibration window is tested
    # and every tested one is a window of the subjects
    assert np.allclose(np.abs(unit(windows) @ tested.T / 512).max(0), 1)
    for rows in result["rows"].values():
        by = {r["method"]: r for r in rows}
        assert by["No denoising"]["rrmse_t"] == 0.0
        assert by["No denoising"]["altered"] == 0.0
        assert by["halve"]["rrmse_t"] == pytest.approx(0.5)
        assert by["halve"]["altered"] == 1.0
    # Per channel, the same rows (each channel here is one site group).
    assert set(result["rows_by_channel"]) == {"F3", "T7", "Cz", "O1"}
    for ch, group in (("F3", "frontal"), ("O1", "parietal/occipital")):
        assert result["rows_by_channel"][ch] == [
            {**r, "seconds": result["rows_by_channel"][ch][i]["seconds"]}
            for i, r in enumerate(result["rows"][group])]
    md = (tmp_path / "gate_sites.md").read_text()
    assert f"frontal ({n['frontal']})" in md
    assert "Share of windows altered, per channel" in md
    assert "| halve | 0.500 / 25.0 % / 100.0 % |" in md
    assert (tmp_path / "gate_sites.json").exists()


def test_max_segments_caps_the_tested_windows(monkeypatch):
    _fake_study(monkeypatch)
    result = gate_sites.run_gate_sites(out=None, max_segments=10, verbose=False)
    assert result["n_windows"]["all"] == 10


def test_sites_table_skips_nothing_and_states_the_target():
    row = {"method": "m", "rrmse_t": 0.1, "altered": 0.25,
           "band_power": {"mu_beta": 0.9}}
    md = sites_table({"rows": {"all": [row], "frontal": [row]},
                      "n_windows": {"all": 8, "frontal": 2},
                      "subjects": [11], "n_calibration": 4})
    assert md.splitlines()[0] == "| method | all (8) | frontal (2) |"
    assert "| m | 0.100 / 90.0 % / 25.0 % | 0.100 / 90.0 % / 25.0 % |" in md
    assert "RRMSE_t <= 0.05" in md


def test_iclabel_cleans_each_run_first_and_names_the_report(monkeypatch,
                                                           tmp_path):
    _, _, seen = _fake_study(monkeypatch)
    result = gate_sites.run_gate_sites(out=tmp_path, verbose=False)
    assert seen["preprocess"] is None and not result["iclabel"]
    result = gate_sites.run_gate_sites(out=tmp_path, iclabel=True, verbose=False)
    assert callable(seen["preprocess"]) and result["iclabel"]
    assert "ICA + ICLabel first" in result["markdown"]
    assert (tmp_path / "gate_sites_iclabel.md").exists()
