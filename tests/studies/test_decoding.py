import json

import mne
import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold

from mne_denoise import FreqDomainDenoiser
from mne_denoise.datasets import simulate_emg, simulate_eog
from mne_denoise.studies.decoding import (
    DATASETS,
    SCENARIOS,
    chance_threshold,
    contaminate,
    cross_validate,
    decoding_tables,
    run_decoding_study,
)

NAMES = ["Fpz", "Fz", "FC3", "FC4", "C3", "Cz", "C4", "T7", "T8", "Pz", "Oz"]


def _mi_epochs(n_epochs=20, sfreq=160.0, n_times=480, seed=0):
    """Two classes that differ in 12-Hz power over C3 versus C4."""
    rng = np.random.default_rng(seed)
    info = mne.create_info(NAMES, sfreq, "eeg")
    info.set_montage("colin27_1005")
    t = np.arange(n_times) / sfreq
    y = np.tile([2, 3], n_epochs // 2)
    data = rng.normal(size=(n_epochs, len(NAMES), n_times)) * 5e-6
    for k, label in enumerate(y):
        ch = NAMES.index("C3" if label == 2 else "C4")
        data[k, ch] += 8e-6 * np.sin(2 * np.pi * 12 * t + rng.uniform(0, 6))
    events = np.c_[np.arange(n_epochs) * n_times, np.zeros(n_epochs, int), y]
    return mne.EpochsArray(data, info, events=events,
                           event_id={"left": 2, "right": 3}, verbose=False)


def _artifacts():
    return simulate_eog(10, random_state=1), simulate_emg(10, random_state=2)


def test_contaminate_adds_spread_artifacts_and_references():
    epochs = _mi_epochs()
    dirty, clean = contaminate(epochs, *_artifacts(), snr=-5.0, p=1.0)
    assert dirty.ch_names == clean.ch_names == [*NAMES, "EOG", "EMG L", "EMG R"]
    assert dirty.get_channel_types()[-3:] == ["eog", "emg", "emg"]
    np.testing.assert_array_equal(clean.get_data(picks="eeg"), epochs.get_data())
    np.testing.assert_array_equal(dirty.events, epochs.events)
    added = dirty.get_data(picks="eeg") - epochs.get_data()
    rms = np.sqrt(np.mean(added ** 2, axis=(0, 2)))
    idx = {n: i for i, n in enumerate(NAMES)}
    # Frontal-temporal layout: strongest at Fpz and T7/T8, weak at the back.
    assert rms[idx["Fpz"]] > 5 * rms[idx["Oz"]]
    assert rms[idx["T7"]] > 3 * rms[idx["Cz"]]
    # The EOG reference records the ocular source at the stated SNR over its
    # 2-s duration (2/3 of the 3-s epoch); the references hold 5 % noise.
    eeg_rms = np.sqrt(np.mean(epochs.get_data() ** 2))
    eog_rms = np.sqrt(np.mean(dirty.get_data(picks="EOG") ** 2))
    np.testing.assert_allclose(eog_rms / eeg_rms, 10 ** 0.5 * np.sqrt(320 / 480),
                               rtol=0.03)
    # No source active: only the references' own noise differs.
    none, _ = contaminate(epochs, *_artifacts(), p=0.0)
    np.testing.assert_array_equal(none.get_data(picks="eeg"), epochs.get_data())
    # Sensorimotor layout: the muscle sources sit on C3 and C4.
    sm, _ = contaminate(epochs, *_artifacts(), layout="sensorimotor", p=1.0)
    rms = np.sqrt(np.mean((sm.get_data(picks="eeg")
                           - epochs.get_data()) ** 2, axis=(0, 2)))
    assert rms[idx["C3"]] > rms[idx["T7"]]


def test_contaminate_needs_positions():
    epochs = _mi_epochs()
    epochs.set_montage(None)
    with pytest.raises(ValueError, match="set a montage"):
        contaminate(epochs, *_artifacts())


def test_cross_validate_precomputed_equals_in_pipeline():
    epochs = _mi_epochs()
    X, y, info = epochs.get_data(), epochs.events[:, 2], epochs.info
    cv = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    base = cross_validate(None, False, X, X, y, info, cv)
    assert base.shape == (4,) and base.mean() > 0.8  # the classes separate
    # A pretrained blind denoiser learns nothing in fit, so denoising once
    # before cross-validation gives exactly the scores of denoising per fold.
    once = cross_validate(FreqDomainDenoiser, False, X, X, y, info, cv)
    inside = cross_validate(FreqDomainDenoiser, True, X, X, y, info, cv)
    np.testing.assert_array_equal(once, inside)
    # Fitting on one array and testing on another (clean calibration).
    dirty = X + np.random.default_rng(0).normal(size=X.shape) * 1e-4
    worse = cross_validate(None, False, X, dirty, y, info, cv)
    assert worse.mean() < base.mean()


def test_chance_threshold():
    assert chance_threshold(45) == pytest.approx(29 / 45)
    assert chance_threshold(100) == pytest.approx(0.59)
    assert chance_threshold(1000) < 0.53


def test_tables_mark_excluded_data_sets():
    screening = [{"dataset": "A", "n_trials": 45, "clean_accuracy": 0.9,
                  "threshold": 0.644},
                 {"dataset": "B", "n_trials": 45, "clean_accuracy": 0.5,
                  "threshold": 0.644}]
    rows = [{"dataset": "A", "scenario": sc, "method": m, "accuracy": a}
            for sc, m, a in (("clean", "none", 0.9), ("clean", "den", 0.89),
                             ("noisy", "clean data", 0.9),
                             ("noisy", "none", 0.7), ("noisy", "den", 0.85))]
    md = decoding_tables(screening, rows)
    assert "| A | 45 | 0.900 | 0.644 | yes |" in md
    assert "| B | 45 | 0.500 | 0.644 | no |" in md
    assert "| **mean** | 0.900 | 0.890 |" in md
    assert "| den | -0.010 | -0.010 | 1 of 1 |" in md  # no harm
    assert "| noisy | +0.200 | +0.150 |" in md  # loss, and what den recovers


def test_tables_print_rounding_noise_as_zero():
    # Fold means that agree can differ by float rounding; one trial of 45
    # lost (-0.0222) is outside the no-harm band, rounding noise is not.
    acc = np.mean([1.0, 8 / 9, 1.0, 7 / 9, 1.0])
    rows = [{"dataset": n, "scenario": "clean", "method": m, "accuracy": a}
            for n, m, a in (("A", "none", acc), ("A", "den", acc - 1e-16),
                            ("B", "none", 0.9), ("B", "den", 0.9 - 1 / 45))]
    md = decoding_tables([], rows)
    assert "-0.000" not in md
    assert "| den | -0.011 | -0.022 | 1 of 2 |" in md


@pytest.fixture
def shared_methods():
    """No denoiser and EOG regression; skips without the shared recordings."""
    from mne_denoise import RegressionDenoiser
    from mne_denoise.datasets import get_shared_data_path

    try:
        get_shared_data_path()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    return {"none": (None, False), "EOGRegression": (RegressionDenoiser, True)}


@pytest.mark.shared_data
def test_run_decoding_study_on_one_subject(tmp_path, shared_methods):
    methods = shared_methods
    rep = run_decoding_study(out=tmp_path, datasets=[(1, (6, 10, 14))],
                             scenarios=("clean", "few-channel"), methods=methods,
                             artifacts=_artifacts(), verbose=False)
    assert rep["screening"][0]["clean_accuracy"] > 0.8
    assert {(r["scenario"], r["method"]) for r in rep["rows"]} == {
        (s, m) for s in ("clean", "few-channel") for m in methods} | {
        ("few-channel", "clean data")}
    saved = json.loads((tmp_path / "decoding.json").read_text())
    assert len(saved["rows"]) == 5 and len(saved["rows"][0]["folds"]) == 5
    assert "Scenario **few-channel**" in (tmp_path / "decoding.md").read_text()
    from mne_denoise.studies.decoding import available_datasets

    found = available_datasets()
    assert (1, (6, 10, 14)) in found and set(found) <= set(DATASETS)
    with pytest.raises(ValueError, match="Unknown scenarios"):
        run_decoding_study(out=tmp_path, datasets=[], scenarios=("noisy",),
                           artifacts=_artifacts())


@pytest.mark.shared_data
def test_run_decoding_study_in_parallel_matches_serial(tmp_path, shared_methods):
    methods = shared_methods
    datasets = [(1, (4, 8, 12)), (1, (6, 10, 14))]  # below, above chance
    reports = [run_decoding_study(out=tmp_path / str(n), datasets=datasets,
                                  scenarios=("clean",), methods=methods,
                                  artifacts=_artifacts(), n_jobs=n,
                                  verbose=False)
               for n in (1, 2)]

    def _strip(rows):
        return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]

    serial, parallel = reports
    assert parallel["screening"] == serial["screening"]
    assert [s["dataset"] for s in serial["screening"]] == [
        "S001 runs 4/8/12", "S001 runs 6/10/14"]
    assert _strip(parallel["rows"]) == _strip(serial["rows"])
    assert {r["dataset"] for r in serial["rows"]} == {"S001 runs 6/10/14"}
    assert parallel["markdown"] == serial["markdown"]


def _report(datasets, scenarios, snr=-5.0, shift=0.0):
    """A fake report: the accuracies depend only on the row's keys."""
    screening = [{"dataset": d, "n_trials": 45, "clean_accuracy": 0.9,
                  "threshold": 0.644} for d in datasets]
    rows = []
    for d in datasets:
        for sc in scenarios:
            methods = (["none", "den"] if sc == "clean"
                       else ["clean data", "none", "den"])
            for m in methods:
                acc = (0.5 + 0.01 * (ord(d[0]) - 65 + 3 * SCENARIOS.index(sc))
                       + 0.07 * len(m) / 10 + shift)
                rows.append({"dataset": d, "scenario": sc, "method": m,
                             "accuracy": acc, "folds": [acc] * 5,
                             "error": None, "seconds": 1.0})
    return {"screening": screening, "rows": rows, "snr": snr,
            "scenarios": list(scenarios), "methods": ["none", "den"]}


def test_merge_decoding_reports(tmp_path):
    from mne_denoise.studies.decoding import merge_decoding_reports

    whole = _report(["A", "B"], ["clean", "sensorimotor", "few-channel"])
    parts = [_report(["A", "B"], ["clean"]),
             _report(["A", "B"], ["few-channel", "sensorimotor"]),
             _report(["B"], ["clean"])]  # overlaps, and agrees
    (tmp_path / "p0").mkdir()
    (tmp_path / "p0" / "decoding.json").write_text(json.dumps(parts[0]))
    merged = merge_decoding_reports([tmp_path / "p0", parts[1], parts[2]],
                                    out=tmp_path / "merged")
    key = ("dataset", "scenario", "method", "accuracy")
    assert [[r[k] for k in key] for r in merged["rows"]] == [
        [r[k] for k in key] for r in whole["rows"]]  # the order of one run
    assert merged["screening"] == whole["screening"]
    assert merged["markdown"] == decoding_tables(whole["screening"], whole["rows"])
    saved = (tmp_path / "merged" / "decoding.md").read_text()
    assert saved.startswith("Clean accuracy")
    with pytest.raises(ValueError, match="disagree"):
        merge_decoding_reports([parts[0], _report(["A"], ["clean"], shift=0.1)],
                               out=tmp_path / "bad")
    with pytest.raises(ValueError, match="different SNRs"):
        merge_decoding_reports([parts[0], _report(["A"], ["clean"], snr=0.0)],
                               out=tmp_path / "bad")
    with pytest.raises(ValueError, match="Nothing to merge"):
        merge_decoding_reports([], out=tmp_path / "bad")
    # Keeping some scenarios and methods: the rows of those, and the rows
    # without a denoiser.
    kept = merge_decoding_reports(parts, out=tmp_path / "kept",
                                  scenarios=["few-channel"], methods=["none"])
    assert {(r["scenario"], r["method"]) for r in kept["rows"]} == {
        ("few-channel", "clean data"), ("few-channel", "none")}
    assert kept["scenarios"] == ["few-channel"] and kept["methods"] == ["none"]
    with pytest.raises(ValueError, match=r"No report holds the scenarios \['frontal"):
        merge_decoding_reports(parts, out=tmp_path / "bad",
                               scenarios=["frontal-temporal"])
    with pytest.raises(ValueError, match=r"No report holds the methods \['ICA'\]"):
        merge_decoding_reports(parts, out=tmp_path / "bad", methods=["ICA"])
