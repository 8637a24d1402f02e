# License: BSD-3-Clause
"""Where the denoisers change real "clean" EEG, electrode site by site.

The benchmark's clean-input test compares each method's output with its
input on clean EEG, so any change counts as harm. Its unseen-source clean
EEG is real EEGMMIDB data (the subjects no training split drew from), cut as
the clean banks are: 1-Hz high-pass, no Fp/AF channels, the 20 % most
contaminated windows of each run rejected. That does not make every window
free of eye movements or muscle activity, and a denoiser that corrects a
real artifact there is scored as if it had damaged clean EEG.

This study runs the same test on the same kind of windows with the
electrode of each window kept, and reports every method per site group:
frontal (F7, F3, Fz, F4, F8), temporal (T7, T8), central (C3, Cz, C4) and
parietal/occipital (P7, P3, Pz, P4, P8, O1, Oz, O2). Ocular artifacts are
largest at frontal sites and muscle at temporal ones; parietal/occipital
windows are the cleanest of a raw recording. A gate that opens mostly at
frontal and temporal sites is reacting to what is there; one that opens as
often at parietal/occipital sites alters clean EEG. The study cannot tell
which frontal windows really held an artifact (no ground truth): it shows
where the changes fall, not whether each one helped.

The gate is calibrated as in the benchmark's unseen-source test: on a
seeded half of the windows (clean EEG of the same source, at most 400),
with the artifacts of the training pools; the other half is tested.
"""

import numpy as np

from .._protocol import MODEL_SFREQ
from ..datasets import make_benchmark_pools
from ..datasets._pools import _eegmmidb_clean_windows, _unseen_eegmmidb_subjects
from ..denoisers import ICLabelDenoiser
from ._results import save_results
from .benchmark import ALTERED_RRMSE, CLEAN_INPUT_TARGET, evaluate_clean
from .methods import default_methods

__all__ = ["SITE_GROUPS", "run_gate_sites", "site_of", "sites_table"]

#: Site group -> first letters of the 10-20 names it holds.
SITE_GROUPS = {"frontal": ("F",), "temporal": ("T",), "central": ("C",),
               "parietal/occipital": ("P", "O")}
#: Calibration windows (the benchmark's unseen-source test takes as many).
N_CALIBRATION = 400


def site_of(ch_name):
    """The site group of a 10-20 channel name (None if it is in none).

    Parameters
    ----------
    ch_name : str
        Channel name, e.g. ``"F7"`` or ``"Oz"`` (case and trailing dots
        ignored, as EEGMMIDB writes ``"Fc5."``); ``Fp``/``AF`` sites (not
        in the clean windows) and ``FC``/``CP``/... in-between sites
        belong to no group.

    Returns
    -------
    group : str | None
        A key of :data:`SITE_GROUPS`.

    Examples
    --------
    >>> site_of("F7"), site_of("Oz"), site_of("FC5"), site_of("T8.")
    ('frontal', 'parietal/occipital', None, 'temporal')
    """
    name = ch_name.rstrip(".").upper()
    # One letter then a number or "z": F7, Fz, T8, Oz (not Fp1, FC5, AF3).
    if len(name) < 2 or not (name[1:].isdigit() or name[1:] == "Z"):
        return None
    for group, first in SITE_GROUPS.items():
        if name[0] in first:
            return group
    return None


def run_gate_sites(*, out="benchmark_results", data=None, max_segments=None,
                   device="auto", random_state=0, weights="pretrained",
                   iclabel=False, verbose=True):
    """Score every benchmark method on unseen real EEG, per site group.

    Parameters
    ----------
    out : path-like | None
        Output folder for ``gate_sites.json`` and ``gate_sites.md`` (None:
        write nothing).
    data : path-like | None
        Folder of the shared recordings.
    max_segments : int | None
        Cap of tested windows (seeded subsample; default all of the tested
        half).
    device : str
        Device of the deep denoisers.
    random_state : int
        Seed of the calibration/test split (and of the benchmark pools whose
        training artifacts calibrate the gate).
    weights : ``'pretrained'`` | path-like | dict
        As :func:`~mne_denoise.studies.methods.default_methods` takes them.
    iclabel : bool
        Clean each run with ICA + ICLabel first
        (:class:`~mne_denoise.ICLabelDenoiser`: the components ICLabel
        labels eye blink or muscle artifact at p >= 0.5 removed, fitted on
        the run's 64 channels), as EEGdenoiseNet built its clean EEG; the
        windows are then cut as without it. Writes ``gate_sites_iclabel``.
    verbose : bool
        Print the table.

    Returns
    -------
    result : dict
        ``rows``: per site group (and ``"all"``) the rows of
        :func:`~mne_denoise.studies.benchmark.evaluate_clean`;
        ``rows_by_channel``: the same per channel; ``n_windows`` per group,
        ``subjects`` and the markdown text.
    """
    windows, channels = [], []
    subjects = _unseen_eegmmidb_subjects(data)
    preprocess = None
    if iclabel:
        def preprocess(raw):
            den = ICLabelDenoiser(raw.info, random_state=random_state)
            return den.fit(raw).transform(raw)

    for subject in subjects:
        w, names = _eegmmidb_clean_windows(subject, sfreq=MODEL_SFREQ,
                                           path=data, verbose=False,
                                           preprocess=preprocess)
        windows.append(w)
        channels.append(names)
    windows, channels = np.concatenate(windows), np.concatenate(channels)
    sites = np.array([site_of(c) for c in channels], dtype=object)
    rng = np.random.default_rng(random_state)
    order = rng.permutation(len(windows))
    half = len(order) // 2
    calibration, test = order[:half][:N_CALIBRATION], np.sort(order[half:])
    if max_segments is not None and len(test) > max_segments:
        test = np.sort(rng.choice(test, max_segments, replace=False))
    pools = make_benchmark_pools(random_state=random_state, path=data)
    methods = default_methods(
        device=device, weights=weights,
        calibration=(windows[calibration],
                     [pools["eog"][0].data, pools["emg"][0].data]))
    groups = {"all": np.ones(len(test), dtype=bool),
              **{g: sites[test] == g for g in SITE_GROUPS}}
    rows, n_windows = {}, {}
    for group, mask in groups.items():
        n_windows[group] = int(mask.sum())
        if mask.any():
            rows[group] = evaluate_clean(methods, windows[test][mask])
    # Each channel on its own too: which electrodes the changes fall on.
    by_channel = {str(ch): evaluate_clean(methods,
                                          windows[test][channels[test] == ch])
                  for ch in dict.fromkeys(channels[test])}
    result = {"rows": rows, "n_windows": n_windows, "rows_by_channel": by_channel,
              "subjects": subjects, "n_calibration": len(calibration),
              "random_state": random_state, "iclabel": bool(iclabel)}
    result["markdown"] = sites_table(result)
    if verbose:
        print(result["markdown"])
    if out is not None:
        save_results(out, "gate_sites_iclabel" if iclabel else "gate_sites",
                     result, result["markdown"])
    return result


def sites_table(result):
    """Markdown: RRMSE_t, 8-30 Hz power kept and share altered, per site.

    Parameters
    ----------
    result : dict
        What :func:`run_gate_sites` returns (``rows`` and ``n_windows``;
        ``rows_by_channel``, if there, adds a table of the share of windows
        altered per channel).

    Returns
    -------
    markdown : str
    """
    groups = list(result["rows"])
    methods = [r["method"] for r in result["rows"][groups[0]]]
    by = {(g, r["method"]): r for g in groups for r in result["rows"][g]}
    head = ["method"] + [f"{g} ({result['n_windows'][g]})" for g in groups]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for m in methods:
        cells = [m]
        for g in groups:
            r = by[(g, m)]
            kept = 100 * r["band_power"]["mu_beta"]
            cells.append(f"{r['rrmse_t']:.3f} / {kept:.1f} % / "
                         f"{100 * r['altered']:.1f} %")
        lines.append("| " + " | ".join(cells) + " |")
    if result.get("rows_by_channel"):
        lines += ["", "Share of windows altered, per channel:", ""]
        chans = list(result["rows_by_channel"])
        per = {(c, r["method"]): r for c in chans
               for r in result["rows_by_channel"][c]}
        lines += ["| method | " + " | ".join(chans) + " |",
                  "|" + "---|" * (len(chans) + 1)]
        lines += ["| " + " | ".join([m] + [f"{100 * per[(c, m)]['altered']:.0f} %"
                                           for c in chans]) + " |"
                  for m in methods]
    target = CLEAN_INPUT_TARGET
    lines += ["", "Each cell of the first table: RRMSE_t against the input / "
              "8-30 Hz power kept / share of windows altered (RRMSE_t above "
              f"{ALTERED_RRMSE:g}); the window count of each site group in the "
              "header. Unseen EEGMMIDB subjects "
              f"{', '.join(str(s) for s in result['subjects'])}, gate "
              f"calibrated on {result['n_calibration']} other windows of the "
              f"same subjects. The clean-input target (RRMSE_t <= "
              f"{target['rrmse_t']:g}, >= {100 * target['mu_beta']:.0f} % of "
              "the 8-30 Hz power) assumes the input is clean; frontal and "
              "temporal windows of raw EEG are where it is least so."]
    if result.get("iclabel"):
        lines[-1] += (" Each run was cleaned with ICA + ICLabel first (eye "
                      "blink and muscle components at p >= 0.5 removed).")
    return "\n".join(lines)
