# License: BSD-3-Clause
"""The decoding study: whether denoising changes CSP + LDA accuracy.

Motor-imagery epochs of PhysioNet EEGMMIDB are decoded with a band-pass
(7-30 Hz), CSP and LDA, cross-validated (5 stratified folds, the same folds
for every method), with and without a denoiser first in the pipeline, on
clean data and in scenarios where real EOG and EMG recordings are added to
the EEG with a spatial spread (:func:`contaminate`).

Scenarios (:data:`SCENARIOS`):

``clean``
    The recordings as they are: the no-harm test.
``frontal-temporal``
    Ocular artifacts spreading from the eyes and muscle artifacts from both
    temporal muscles (T7, T8), the usual topographies; artifacts in half the
    trials, at -5 dB at the most affected channel.
``sensorimotor``
    Muscle artifacts centred on C3 and C4 and ocular artifacts spreading
    widely, so that they reach the channels the decoder relies on.
``few-channel``
    A 3-channel montage (C3, Cz, C4) with frontal-temporal artifacts of a
    wider spread: CSP has no spare dimension to route them around.
``clean-calibration``
    The frontal-temporal artifacts, but the pipeline (denoiser included) is
    fitted on clean training folds and tested on contaminated test folds, as
    when a decoder calibrated in a quiet session is used in a noisy one.
``clean-calibration-sensorimotor``
    The same with the sensorimotor layout.

In the contaminated scenarios, ``clean data`` rows give the accuracy on the
same epochs and montage without artifacts, so that the loss to artifacts is
measured per scenario.

Every contaminated data set has reference channels: ``EOG`` records the
ocular source and ``EMG L``/``EMG R`` the muscle sources (each with a little
independent noise); the reference-based methods use them, the blind ones
ignore them, and the decoder only sees the EEG channels.

SNR convention: :func:`mne_denoise._protocol.snr_db` (``10*log10`` of the RMS
ratio) between the EEG (RMS over all epochs and EEG channels of the data set)
and one artifact source at the channel it reaches most, over the artifact's
2-s duration. The level is the same for every epoch, so that artifact
amplitudes carry no information about the class.
"""

import functools
import json
import time
from pathlib import Path

import joblib
import mne
import numpy as np
from mne.decoding import CSP
from mne.filter import resample
from scipy.stats import binom
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from ..datasets import get_shared_data_path, load_motor_imagery, make_benchmark_pools
from ..denoisers import (
    BandpassDenoiser,
    FreqDomainDenoiser,
    ICADenoiser,
    ICLabelDenoiser,
    LowRankUnfoldedDenoiser,
    RegressionDenoiser,
    SpatialDenoiser,
    UNetDenoiser,
)
from ._results import save_results

__all__ = [
    "available_datasets",
    "chance_threshold",
    "contaminate",
    "cross_validate",
    "decoding_tables",
    "default_denoisers",
    "merge_decoding_reports",
    "run_decoding_study",
]

#: The scenarios of the study (module docstring): name -> (artifact layout,
#: channels kept or None for all, whether the pipeline is calibrated on
#: clean data and tested on contaminated data).
_SCENARIOS = {
    "clean": ("frontal-temporal", None, False),
    "frontal-temporal": ("frontal-temporal", None, False),
    "sensorimotor": ("sensorimotor", None, False),
    "few-channel": ("few-channel", ("C3", "Cz", "C4"), False),
    "clean-calibration": ("frontal-temporal", None, True),
    "clean-calibration-sensorimotor": ("sensorimotor", None, True),
}
#: The scenarios' names.
SCENARIOS = tuple(_SCENARIOS)

#: Candidate data sets: (subject, runs) for every one of EEGMMIDB's 109
#: subjects and both motor-imagery task families; those whose runs are
#: present in the data folder are used (:func:`available_datasets`), so the
#: study grows with the folder instead of following a list.
DATASETS = tuple((s, runs) for s in range(1, 110)
                 for runs in ((4, 8, 12), (6, 10, 14)))

#: Spatial layouts: source channel -> spread (m) of the exponential decay of
#: the artifact with the distance to that channel.
_LAYOUTS = {
    "frontal-temporal": {"eog": ("Fpz", 0.05), "emg": (("T7", "T8"), 0.03)},
    "sensorimotor": {"eog": ("Fpz", 0.10), "emg": (("C3", "C4"), 0.04)},
    "few-channel": {"eog": ("Fpz", 0.08), "emg": (("T7", "T8"), 0.06)},
}
#: Row name of the accuracy on clean data with a scenario's montage.
CLEAN = "clean data"
#: Row name of the pipeline without a denoiser.
NONE = "none"
_REF_NOISE = 0.05  # relative amplitude of the reference channels' own noise


def _artifact_snippets(bank, sfreq, n_times, rng, n):
    """``n`` artifact waveforms at ``sfreq``, placed at random in an epoch."""
    seg = np.asarray(bank[rng.integers(len(bank), size=n)], dtype=np.float64)
    seg = resample(seg, up=sfreq, down=256.0, npad="auto", verbose=False)
    length = min(seg.shape[1], n_times)
    taper = np.ones(length)
    ramp = max(1, int(0.1 * sfreq))
    taper[:ramp] = taper[-ramp:][::-1] = np.hanning(2 * ramp)[:ramp]
    out = np.zeros((n, n_times))
    for k in range(n):
        start = rng.integers(0, n_times - length + 1)
        x = seg[k, :length] * taper
        out[k, start:start + length] = x / (np.sqrt(np.mean(x ** 2)) + 1e-30)
    return out


def _topography(info, eeg_picks, source, spread):
    """Exponential decay of an artifact with the distance to ``source``."""
    pos = {ch["ch_name"]: ch["loc"][:3] for ch in info["chs"]}
    if source not in pos or not np.all(np.isfinite(pos[source])):
        raise ValueError(
            f"The artifact source channel {source!r} has no position in the "
            "epochs; set a montage, e.g. epochs.set_montage('colin27_1005') "
            "(called 'standard_1005' before MNE 1.13).")
    centre = pos[source]
    dist = np.array([np.linalg.norm(pos[info["ch_names"][i]] - centre)
                     for i in eeg_picks])
    w = np.exp(-dist / spread)
    return w / w.max()


def contaminate(epochs, eog, emg, *, layout="frontal-temporal", snr=-5.0,
                p=0.5, random_state=0):
    """Add real EOG and EMG to EEG epochs with a spatial spread.

    Parameters
    ----------
    epochs : mne.Epochs
        EEG epochs with channel positions (a montage).
    eog, emg : array, shape (n, 512)
        Artifact segments (256 Hz, 2 s), e.g. the test pools of
        :func:`mne_denoise.datasets.make_benchmark_pools`.
    layout : ``'frontal-temporal'`` | ``'sensorimotor'`` | ``'few-channel'``
        Where the sources are and how far they spread (module docstring).
    snr : float
        SNR in dB (``10*log10`` RMS ratio) between the EEG (RMS over all
        epochs and EEG channels) and one artifact source at the channel it
        reaches most, over the artifact's 2-s duration.
    p : float
        Probability that a source is active in a trial (independently).
    random_state : int
        Seed of the draws.

    Returns
    -------
    contaminated, clean : mne.Epochs
        The contaminated epochs and the clean ones, both with the reference
        channels ``EOG`` (eog), ``EMG L`` and ``EMG R`` (emg) appended (in
        the clean epochs they record only their own noise).
    """
    rng = np.random.default_rng(random_state)
    spec = _LAYOUTS[layout]
    data = epochs.get_data(picks="eeg")
    info = epochs.info
    eeg = mne.pick_types(info, eeg=True)
    n_ep, n_ch, n_times = data.shape
    sfreq = info["sfreq"]
    # One level for the whole data set: a per-epoch level would make the
    # artifact (and reference) amplitudes track each epoch's EEG power, which
    # differs between the classes, and leak it into the references.
    level = np.sqrt(np.mean(data ** 2)) * 10 ** (-snr / 10)
    sources = [("EOG", "eog", eog, spec["eog"][0], spec["eog"][1])] + [
        (f"EMG {side}", "emg", emg, ch, spec["emg"][1])
        for side, ch in zip("LR", spec["emg"][0], strict=True)]
    added = np.zeros_like(data)
    refs = []
    for _, _, bank, centre, spread in sources:
        wave = _artifact_snippets(bank, sfreq, n_times, rng, n_ep) * level
        wave *= rng.random(n_ep)[:, None] < p
        added += _topography(info, eeg, centre, spread)[None, :, None] * wave[:, None]
        refs.append(wave)
    noise = rng.normal(size=(len(refs), n_ep, n_times)) * _REF_NOISE * level
    ref_info = mne.create_info([s[0] for s in sources], sfreq,
                               [s[1] for s in sources])

    def build(x, ref):
        eeg_epochs = mne.EpochsArray(x, mne.pick_info(info, eeg),
                                     events=epochs.events, event_id=epochs.event_id,
                                     tmin=epochs.tmin, verbose=False)
        ref_epochs = mne.EpochsArray(np.stack(ref, axis=1), ref_info,
                                     events=epochs.events,
                                     event_id=epochs.event_id, tmin=epochs.tmin,
                                     verbose=False)
        return eeg_epochs.add_channels([ref_epochs], force_update_info=True)

    return (build(data + added, [r + e for r, e in zip(refs, noise, strict=True)]),
            build(data, list(noise)))


def default_denoisers():
    """The methods compared in the study.

    Returns
    -------
    methods : dict of str -> (callable | None, bool)
        Name -> (factory of an unfitted denoiser taking ``info``, whether it
        learns from the data in ``fit``). Denoisers that learn nothing (the
        pretrained networks in blind mode) are applied once to all epochs,
        which gives the same result as applying them inside every fold and
        is five times faster; the others run inside the pipeline, fitted on
        each training fold.
    """
    return {
        NONE: (None, False),
        "FreqDomain (blind)": (functools.partial(
            FreqDomainDenoiser, noise_estimate="blind"), False),
        "FreqDomain (reference)": (functools.partial(
            FreqDomainDenoiser, noise_estimate="reference"), True),
        "FreqDomain (reference, frequency regression)": (functools.partial(
            FreqDomainDenoiser, noise_estimate="reference",
            reference_regression="frequency"), True),
        "LowRankUnfolded (blind)": (LowRankUnfoldedDenoiser, False),
        "UNet (blind)": (functools.partial(UNetDenoiser, weights="pretrained",
                                           max_epochs=0), False),
        "ICA": (_ica, True),
        "ICA + ICLabel": (_iclabel, True),
        "EOGRegression": (RegressionDenoiser, True),
        "Frequency regression": (functools.partial(
            RegressionDenoiser, domain="frequency"), True),
        "Spatial": (SpatialDenoiser, False),
    }


def _ica(info):
    """ICA with at most 15 components; correlation scores for few channels."""
    n_eeg = len(mne.pick_types(info, eeg=True))
    return ICADenoiser(info=info, n_components=min(15, n_eeg), random_state=0,
                       eog_measure="zscore" if n_eeg >= 10 else "correlation")


def _iclabel(info):
    """ICA + ICLabel with at most 15 components, as the ICA row."""
    n_eeg = len(mne.pick_types(info, eeg=True))
    return ICLabelDenoiser(info=info, n_components=min(15, n_eeg - 1),
                           random_state=0)


def _decoder(info):
    """Band-pass 7-30 Hz, EEG channels only, CSP, LDA."""
    eeg = mne.pick_types(info, eeg=True)
    return Pipeline([
        ("band", BandpassDenoiser(7.0, 30.0, info=info)),
        ("eeg", FunctionTransformer(functools.partial(np.take, indices=eeg,
                                                      axis=1))),
        ("csp", CSP(n_components=min(6, len(eeg)), log=True)),
        ("lda", LinearDiscriminantAnalysis()),
    ])


def cross_validate(factory, learns, X_fit, X_test, y, info, cv):
    """Fold accuracies of ``[denoiser] + band-pass + CSP + LDA``.

    Parameters
    ----------
    factory : callable | None
        ``factory(info=info)`` makes the denoiser; None for no denoiser.
    learns : bool
        Whether the denoiser trains in ``fit`` (else it is fitted once, on
        all epochs without their labels, and applied to all of them before
        cross-validation: pretrained weights, and a gate calibrated on the
        EEG's own windows, carry no class information).
    X_fit, X_test : array, shape (n_epochs, n_channels, n_times)
        Epochs the training folds are taken from, and those the test folds
        are taken from (the same array for ordinary cross-validation).
    y : array, shape (n_epochs,)
        Labels.
    info : mne.Info
        Channel description of the arrays.
    cv : cross-validation splitter
        The folds.

    Returns
    -------
    scores : array, shape (n_folds,)
        Test accuracy of every fold.
    """
    if factory is not None and not learns:
        den = factory(info=info).fit(X_fit)
        denoised = den.transform(X_fit)
        X_fit, X_test = denoised, (denoised if X_test is X_fit
                                   else den.transform(X_test))
        factory = None
    scores = []
    for train, test in cv.split(X_fit, y):
        pipe = _decoder(info)
        if factory is not None:
            pipe = Pipeline([("denoise", factory(info=info)), *pipe.steps])
        pipe.fit(X_fit[train], y[train])
        scores.append(pipe.score(X_test[test], y[test]))
    return np.asarray(scores)


def chance_threshold(n_trials, alpha=0.05):
    """Accuracy above which two-class decoding beats chance (binomial test).

    Parameters
    ----------
    n_trials : int
        Number of test trials.
    alpha : float
        Significance level.

    Returns
    -------
    threshold : float
        The smallest accuracy with ``P(X >= k) < alpha`` for ``X ~ B(n,
        0.5)`` (Combrisson & Jerbi, J. Neurosci. Methods 2015).
    """
    k = int(binom.isf(alpha, n_trials, 0.5)) + 1
    return k / n_trials


def available_datasets(datasets=DATASETS, *, path=None):
    """The (subject, runs) pairs whose EEGMMIDB files are all present.

    Parameters
    ----------
    datasets : sequence of (int, tuple of int)
        Candidates.
    path : path-like | None
        Shared data folder, see
        :func:`mne_denoise.datasets.get_shared_data_path`.

    Returns
    -------
    datasets : list of (int, tuple of int)
        The candidates with every run's EDF file present.
    """
    root = Path(get_shared_data_path(path)) / "physionet_eegmmidb"
    return [(s, runs) for s, runs in datasets
            if all((root / f"S{s:03d}" / f"S{s:03d}R{r:02d}.edf").is_file()
                   for r in runs)]


def run_decoding_study(*, out="decoding_results", data=None, datasets=None,
                       scenarios=SCENARIOS, methods=None, snr=-5.0,
                       artifacts=None, random_state=0, n_jobs=1,
                       verbose=True):
    """Run the study; save and return per-data-set accuracies.

    Every data set is first decoded on clean data without a denoiser; only
    those above chance (:func:`chance_threshold`) enter the comparison.

    Parameters
    ----------
    out : path-like
        Folder for ``decoding.json`` and ``decoding.md``.
    data : path-like | None
        Folder of the shared recordings.
    datasets : sequence of (int, tuple of int) | None
        EEGMMIDB (subject, runs) pairs; None: every pair of
        :data:`DATASETS` whose files are present (:func:`available_datasets`).
    scenarios : sequence of str
        Scenarios from :data:`SCENARIOS`.
    methods : dict | None
        As :func:`default_denoisers` returns (the default).
    snr : float
        SNR of the contamination in dB.
    artifacts : tuple of array | None
        ``(eog, emg)`` segments (256 Hz, 2 s) to add; default: the test
        pools of :func:`mne_denoise.datasets.make_benchmark_pools`, from
        recordings the shipped weights were not trained on.
    random_state : int
        Seed of the folds and the contamination.
    n_jobs : int
        Data sets decoded in parallel (joblib processes; -1: one per CPU
        core). Each data set's result depends only on the data set and
        ``random_state``, so the report is the same for every ``n_jobs``;
        the partial results are saved after each data set, in the order of
        ``datasets``.
    verbose : bool
        Print progress (with ``n_jobs > 1`` the data sets' lines interleave).

    Returns
    -------
    report : dict
        ``screening`` (clean accuracy of every data set), ``rows`` (one per
        data set, scenario and method with the fold accuracies and their
        mean) and ``markdown``.
    """
    methods = default_denoisers() if methods is None else methods
    if datasets is None:
        datasets = available_datasets(path=data)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=random_state)
    if artifacts is None:
        pools = make_benchmark_pools(random_state=random_state, path=data)
        artifacts = pools["eog"][2].data, pools["emg"][2].data
    eog, emg = artifacts
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown:
        raise ValueError(f"Unknown scenarios {unknown}; choose from {SCENARIOS}.")
    screening, rows = [], []
    run = joblib.delayed(_decode_dataset)
    results = joblib.Parallel(n_jobs=n_jobs, return_as="generator")(
        run(subject, runs, scenarios=scenarios, methods=methods, snr=snr,
            eog=eog, emg=emg, cv=cv, data=data, random_state=random_state,
            verbose=verbose)
        for subject, runs in datasets)
    report = None
    for screen, dataset_rows in results:  # in the order of ``datasets``
        screening.append(screen)
        rows += dataset_rows
        # Saved after each data set: a stopped run keeps what it finished.
        report = _save(out, screening, rows, snr, scenarios, methods)
    if report is None:  # no data set
        report = _save(out, screening, rows, snr, scenarios, methods)
    md = report["markdown"]
    if verbose:
        print(md)
    return report


def _decode_dataset(subject, runs, *, scenarios, methods, snr, eog, emg, cv,
                    data, random_state, verbose):
    """Screen one data set and, above chance, decode it in every scenario.

    Returns the screening entry and the rows of the data set; the result
    depends only on the data set and ``random_state`` (its contamination is
    seeded with ``random_state + subject``), so data sets can run in any
    order and in parallel.
    """
    rows = []
    epochs = load_motor_imagery(subject, runs, l_freq=1.0, h_freq=None,
                                path=data, verbose=False)
    y = epochs.events[:, 2]
    X = epochs.get_data()
    with mne.utils.use_log_level("ERROR"):
        acc = cross_validate(None, False, X, X, y, epochs.info, cv).mean()
    thr = chance_threshold(len(y))
    name = f"S{subject:03d} runs {'/'.join(map(str, runs))}"
    screen = {"dataset": name, "n_trials": len(y),
              "clean_accuracy": float(acc), "threshold": thr}
    if verbose:
        print(f"{name}: clean accuracy {acc:.3f} (chance threshold "
              f"{thr:.3f})", flush=True)
    if acc < thr:
        return screen, rows
    for scenario in scenarios:
        layout, channels, calibrate_clean = _SCENARIOS[scenario]
        dirty, clean = contaminate(epochs, eog, emg, layout=layout, snr=snr,
                                   random_state=random_state + subject)
        if channels is not None:
            keep = [*channels, "EOG", "EMG L", "EMG R"]
            dirty, clean = dirty.pick(keep), clean.pick(keep)
        X_clean = clean.get_data()
        if scenario == "clean":
            X_fit = X_test = X_clean
        elif calibrate_clean:
            X_fit, X_test = X_clean, dirty.get_data()
        else:
            X_fit = X_test = dirty.get_data()
        # Clean data with the same montage, for the loss to artifacts.
        todo = {} if scenario == "clean" else {CLEAN: (None, False, X_clean,
                                                       X_clean)}
        todo.update({m: (f, lrn, X_fit, X_test)
                     for m, (f, lrn) in methods.items()})
        for method, (factory, learns, X_a, X_b) in todo.items():
            t0 = time.perf_counter()
            error = None
            try:
                with mne.utils.use_log_level("ERROR"):
                    scores = cross_validate(factory, learns, X_a, X_b, y,
                                            clean.info, cv)
            except np.linalg.LinAlgError as err:
                # E.g. ICA removing components of a 3-channel montage
                # leaves rank-deficient data, on which CSP cannot fit.
                scores, error = np.full(cv.get_n_splits(), np.nan), str(err)
            rows.append({"dataset": name, "scenario": scenario,
                         "method": method, "accuracy": float(scores.mean()),
                         "folds": scores.tolist(), "error": error,
                         "seconds": time.perf_counter() - t0})
            if verbose:
                print(f"  {scenario:18s} {method:24s} {scores.mean():.3f} "
                      f"({rows[-1]['seconds']:.0f} s)", flush=True)
    return screen, rows


def merge_decoding_reports(reports, *, out="decoding_results", scenarios=None,
                           methods=None):
    """Merge the reports of runs that split the study by data set or scenario.

    Each data set's result depends only on the data set, the scenario and
    the seed, so runs made with the same seed and SNR on different data
    sets or scenarios (``mne-denoise decoding --scenarios ...``, or on
    several machines) add up to the report of one run that did them all.

    Parameters
    ----------
    reports : sequence of path-like | dict
        ``decoding.json`` files (or their folders), or the reports
        :func:`run_decoding_study` returned.
    out : path-like
        Folder for the merged ``decoding.json`` and ``decoding.md``.
    scenarios : sequence of str | None
        Keep only these scenarios (None: every scenario of the reports).
    methods : sequence of str | None
        Keep only these methods, by their row names (None: all); the rows
        without a denoiser (``'none'``, ``'clean data'``) are always kept.

    Returns
    -------
    report : dict
        As :func:`run_decoding_study` returns.

    Raises
    ------
    ValueError
        If the runs used different SNRs, or disagree on a data set's clean
        accuracy or on a row they share (different seeds or code), or if a
        scenario or method asked for is in none of them.
    """
    loaded = []
    for rep in reports:
        if not isinstance(rep, dict):
            path = Path(rep)
            path = path / "decoding.json" if path.is_dir() else path
            rep = json.loads(path.read_text())
        loaded.append(rep)
    if not loaded:
        raise ValueError("Nothing to merge: pass at least one report.")
    snrs = {rep["snr"] for rep in loaded}
    if len(snrs) > 1:
        raise ValueError(f"The reports were run at different SNRs {sorted(snrs)}; "
                         "merge only runs made with the same --snr.")
    screening, rows = {}, {}
    for rep in loaded:
        for sc in rep["screening"]:
            old = screening.setdefault(sc["dataset"], sc)
            if not np.isclose(old["clean_accuracy"], sc["clean_accuracy"]):
                raise ValueError(
                    f"{sc['dataset']}: clean accuracy {old['clean_accuracy']:.3f} "
                    f"in one report, {sc['clean_accuracy']:.3f} in another; "
                    "merge only runs made with the same seed and code.")
        for r in rep["rows"]:
            key = (r["dataset"], r["scenario"], r["method"])
            old = rows.setdefault(key, r)
            if not np.allclose(old["folds"], r["folds"], equal_nan=True):
                raise ValueError(
                    f"{' / '.join(key)}: the reports disagree ({old['accuracy']:.3f} "
                    f"and {r['accuracy']:.3f}); merge only runs made with the "
                    "same seed and code.")
    datasets = list(screening)
    present = [s for s in SCENARIOS if any(k[1] == s for k in rows)]
    every = list(dict.fromkeys(m for rep in loaded for m in rep["methods"]))
    for asked, have, what in ((scenarios, present, "scenarios"),
                              (methods, every, "methods")):
        missing = sorted(set(asked or ()) - set(have) - {NONE, CLEAN})
        if missing:
            raise ValueError(f"No report holds the {what} {missing}; they hold "
                             + ", ".join(repr(h) for h in have) + ".")
    scenarios = present if scenarios is None else [s for s in present
                                                   if s in scenarios]
    methods = every if methods is None else [m for m in every
                                             if m in methods or m == NONE]
    rows = {k: r for k, r in rows.items() if k[1] in scenarios
            and (k[2] in methods or k[2] in (NONE, CLEAN))}
    order = {CLEAN: -1, **{m: i for i, m in enumerate(methods)}}
    merged = sorted(rows.values(), key=lambda r: (
        datasets.index(r["dataset"]), scenarios.index(r["scenario"]),
        order.get(r["method"], len(order))))
    return _save(out, list(screening.values()), merged, snrs.pop(), scenarios,
                 methods)


def _save(out, screening, rows, snr, scenarios, methods):
    """Write ``decoding.json`` and ``decoding.md``; the report, with its markdown."""
    md = decoding_tables(screening, rows, snr=snr)
    report = {"screening": screening, "rows": rows, "snr": snr,
              "scenarios": list(scenarios), "methods": list(methods)}
    save_results(out, "decoding", report, md)
    return {**report, "markdown": md}


def decoding_tables(screening, rows, *, snr=-5.0):
    """Markdown tables of the study.

    Parameters
    ----------
    screening : list of dict
        Clean accuracy of every data set.
    rows : list of dict
        Accuracies per data set, scenario and method.
    snr : float
        SNR of the contamination (for the caption).

    Returns
    -------
    markdown : str
        The screening table, one table per scenario (data sets in rows,
        methods in columns, the mean over data sets last; "fails" where the
        pipeline could not be fitted), the no-harm check
        on clean data and the loss each method recovers per scenario. The
        first method is the reference (no denoiser).
    """
    lines = ["Clean accuracy without a denoiser (5-fold CV; the threshold is "
             "the binomial p < 0.05 chance level for the number of trials):",
             "", "| data set | trials | accuracy | chance threshold | included |",
             "|---|---|---|---|---|"]
    for s in screening:
        inc = "yes" if s["clean_accuracy"] >= s["threshold"] else "no"
        lines.append(f"| {s['dataset']} | {s['n_trials']} | "
                     f"{s['clean_accuracy']:.3f} | {s['threshold']:.3f} | {inc} |")
    methods = list(dict.fromkeys(r["method"] for r in rows))
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        sub = [r for r in rows if r["scenario"] == scenario]
        methods = sorted(dict.fromkeys(r["method"] for r in sub),
                         key=lambda m: m != CLEAN)  # clean data first
        names = list(dict.fromkeys(r["dataset"] for r in sub))
        lines += ["", f"Scenario **{scenario}** (artifacts at {snr:g} dB where "
                  "present):", "", "| data set | " + " | ".join(methods) + " |",
                  "|---|" + "---|" * len(methods)]
        table = {(r["dataset"], r["method"]): r["accuracy"] for r in sub}
        for n in names + ["mean"]:
            cells = []
            for m in methods:
                vals = ([table[(n, m)]] if n != "mean" else
                        [table[(d, m)] for d in names if (d, m) in table])
                ok = [v for v in vals if np.isfinite(v)]
                cells.append(f"{np.mean(ok):.3f}" if ok else
                             "fails" if vals else "-")
            label = f"**{n}**" if n == "mean" else n
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines + _summary(
        rows, list(dict.fromkeys(r["method"] for r in rows))))


def _signed(x):
    """``+0.022`` / ``-0.022``; a difference that rounds to zero is ``+0.000``.

    Fold means that agree differ by float rounding (1e-16), which ``:+.3f``
    would print as ``-0.000``.
    """
    return f"{round(float(x), 3) + 0.0:+.3f}"


def _summary(rows, methods):
    """No-harm check on clean data, and the loss each method recovers."""
    acc = {(r["dataset"], r["scenario"], r["method"]): r["accuracy"] for r in rows}
    names = list(dict.fromkeys(r["dataset"] for r in rows))
    denoisers = [m for m in methods if m not in (NONE, CLEAN)]
    lines = []
    if any(k[1] == "clean" for k in acc):
        lines += ["", "No harm on clean data (accuracy change against no "
                  "denoiser; within 0.02 on every data set?):", "",
                  "| method | mean change | worst change | data sets within 0.02 |",
                  "|---|---|---|---|"]
        for m in denoisers:
            d = [acc[(n, "clean", m)] - acc[(n, "clean", NONE)]
                 for n in names if (n, "clean", m) in acc]
            if d:
                ok = sum(round(x, 6) >= -0.02 for x in d)
                lines.append(f"| {m} | {_signed(np.mean(d))} | {_signed(min(d))} | "
                             f"{ok} of {len(d)} |")
    scenarios = [s for s in dict.fromkeys(r["scenario"] for r in rows)
                 if s != "clean"]
    if scenarios:
        lines += ["", "Loss to artifacts (accuracy on clean data with the same "
                  "montage minus contaminated accuracy, no denoiser) and the "
                  "accuracy change each method brings on the contaminated data "
                  "(means over data sets):", "",
                  "| scenario | loss | " + " | ".join(denoisers) + " |",
                  "|---|---|" + "---|" * len(denoisers)]
        for sc in scenarios:
            have = [n for n in names if (n, sc, NONE) in acc and (n, sc, CLEAN) in acc]
            if not have:
                continue
            loss = np.mean([acc[(n, sc, CLEAN)] - acc[(n, sc, NONE)] for n in have])
            cells = []
            for m in denoisers:
                d = [acc[(n, sc, m)] - acc[(n, sc, NONE)] for n in have
                     if np.isfinite(acc.get((n, sc, m), np.nan))]
                cells.append(_signed(np.mean(d)) if d else "fails")
            lines.append(f"| {sc} | {_signed(loss)} | " + " | ".join(cells) + " |")
    return lines

