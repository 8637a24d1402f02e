# License: BSD-3-Clause
"""The benchmark: denoisers side by side on held-out semi-synthetic pairs.

Protocol (:mod:`mne_denoise._protocol`): every clean test segment is mixed
with a test artifact segment (seeded pairing) at each SNR of the test grid,
-7 ... 2 dB in EEGdenoiseNet's ``10*log10(RMS ratio)`` convention; noisy,
clean and artifact are standardized by the noisy segment's std; metrics are
computed per segment and averaged. Clean and artifact test pools are disjoint
by recording from those used for training.

Reference channel model (for the reference-based methods): a reference
channel records the artifact exactly as it reaches the EEG channel plus
unrelated brain activity at half the clean segment's amplitude (another clean
test segment), so a regression on it removes the artifact but also injects
that activity.

Mixed artifacts: an EOG and an EMG test segment, each scaled to unit RMS and
summed, then mixed with the clean segment at the SNR like any artifact; the
reference-based methods see one reference channel (typed EOG) that records
both, as a periocular electrode picks up blinks and facial muscle activity.

Beside the test grid (kept for comparison with papers), the run scores the
high SNRs of :data:`~mne_denoise._protocol.HIGH_SNR_GRID` (5, 10, 20 dB:
mildly contaminated input), and clean input: the clean test segments alone,
standardized, with a reference channel that holds only the unrelated brain
activity. On clean input the output is compared with the input itself
(RRMSE_t, CC, and the share of each EEG band's power kept,
:func:`mne_denoise.metrics.band_power_ratio`): what tells a user whether a
denoiser is safe on mostly clean data.
"""

import time
from pathlib import Path

import numpy as np
import torch

from .. import metrics
from .._protocol import (
    EEG_BANDS,
    HIGH_SNR_GRID,
    MODEL_SFREQ,
    MU_BETA_BAND,
    TEST_SNR_GRID,
    mix_at_snr,
    standardize,
)
from ..datasets import UNSEEN_SOURCES, make_benchmark_pools, make_unseen_pools
from ..denoisers import FreqDomainDenoiser, LowRankDenoiser
from ..weights import load_pretrained
from ._results import save_results
from .methods import (
    EEGDENOISENET_DENOISERS,
    OWN_DENOISERS,
    ZOO_DENOISERS,
    budget_name,
    default_methods,
    zoo_methods,
)
from .speed import measure_transform_speed

__all__ = [
    "clean_input_table",
    "best_methods_text",
    "comparison_text",
    "cost_table",
    "evaluate",
    "evaluate_clean",
    "high_snr_table",
    "make_mixed_artifacts",
    "make_test_set",
    "markdown_tables",
    "measure_method_speed",
    "measure_throughput",
    "run_benchmark",
    "summarize",
]

#: Published EEGdenoiseNet results (Zhang et al., J. Neural Eng. 2021): the
#: best network per artifact and its RRMSE_t, RRMSE_s and CC, measured on
#: EEGdenoiseNet's own data, split and PSD estimator, so for orientation only.
PUBLISHED_EEGDENOISENET = {
    "eog": ("Complex CNN", 0.336, 0.343, 0.923),
    "emg": ("LSTM", 0.561, 0.521, 0.816),
}

#: Default training budget per model (seconds) of the full and quick modes.
FULL_BUDGET_S = 300.0
QUICK_BUDGET_S = 8.0

#: Amplitude of the brain activity a reference channel picks up, relative to
#: the clean segment (see the module docstring).
REFERENCE_BRAIN_GAIN = 0.5

#: Bands whose power kept the clean-input test reports: the five EEG bands
#: and the 8-30 Hz mu/beta band (``"mu_beta"``), all from the protocol.
CLEAN_INPUT_BANDS = {**EEG_BANDS, "mu_beta": MU_BETA_BAND}

#: What "leaves clean EEG alone" means in the clean-input verdict (issue
#: 10's target): RRMSE_t at most this, and at least this share of the
#: 8-30 Hz power kept.
CLEAN_INPUT_TARGET = {"rrmse_t": 0.05, "mu_beta": 0.95}
#: Cap of segments per unseen-source pool (all of the smaller ones are used).
UNSEEN_MAX_SEGMENTS = 1000
#: A clean segment counts as altered when the output differs from it by
#: more than this RRMSE_t (1 % of its RMS: a gate that stayed closed
#: changes it by float rounding only).
ALTERED_RRMSE = 0.01
#: The unseen clean-EEG pools of make_unseen_pools, by their table names.
UNSEEN_CLEAN_NAMES = {"eeg": "EEGMMIDB unseen subjects",
                      "eeg_device": "OpenBCI Cyton (another device)"}


def make_test_set(clean, artifact, snr, *, random_state=0):
    """Mix every clean segment with a seeded artifact at ``snr`` dB.

    Parameters
    ----------
    clean : array, shape (n, n_times)
        Clean test segments (demeaned).
    artifact : array, shape (m, n_times)
        Artifact test segments (demeaned).
    snr : float
        SNR in dB.
    random_state : int
        Seed of the pairing.

    Returns
    -------
    noisy, clean, artifact, reference : array, shape (n, n_times)
        Standardized segments and the simulated reference channel.
    """
    rng = np.random.default_rng(random_state)
    idx = rng.integers(len(artifact), size=len(clean))
    noisy, c, a, _ = mix_at_snr(clean, artifact[idx], snr)
    return noisy, c, a, a + _reference_brain(c)


def _reference_brain(c):
    """The unrelated brain activity a reference channel picks up."""
    other = np.roll(c, 1, axis=0)
    gain = REFERENCE_BRAIN_GAIN * np.std(c, axis=1, keepdims=True) / (
        np.std(other, axis=1, keepdims=True) + 1e-12)
    return gain * other


def make_mixed_artifacts(eog, emg, n, *, random_state=0):
    """Mixed artifacts: random EOG + EMG segments, each at unit RMS, summed.

    Parameters
    ----------
    eog, emg : array, shape (m, n_times)
        Artifact segments of each kind (demeaned).
    n : int
        Number of mixed segments.
    random_state : int
        Seed of the draws.

    Returns
    -------
    mixed : array, shape (n, n_times)
        The mixed artifact segments.
    """
    rng = np.random.default_rng(random_state)

    def unit(x):
        x = x[rng.integers(len(x), size=n)]
        return x / (np.sqrt(np.mean(x ** 2, axis=1, keepdims=True)) + 1e-12)

    return unit(np.asarray(eog, float)) + unit(np.asarray(emg, float))


def _scores(denoised, noisy, clean, sfreq):
    return {
        "rrmse_t": float(metrics.rrmse_temporal(denoised, clean).mean()),
        "rrmse_s": float(metrics.rrmse_spectral(denoised, clean, sfreq).mean()),
        "cc": float(metrics.correlation(denoised, clean).mean()),
        "snr_imp": float(metrics.snr_improvement(denoised, noisy, clean).mean()),
    }


def measure_method_speed(method, segments, *, kind="eog", sfreq=MODEL_SFREQ,
                         n_latency=64, repeats=2):
    """Throughput and latency of one benchmark method on 2-s segments.

    Parameters
    ----------
    method : callable
        ``f(noisy, reference, kind, sfreq) -> denoised`` (see
        :func:`default_methods`).
    segments : array, shape (n, n_times)
        Standardized noisy segments; each is one channel-window.
    kind : str
        Artifact kind passed to the method (reference methods use
        ``segments`` rolled by one as their reference channel).
    sfreq : float
        Sampling rate of the segments.
    n_latency : int
        Channel-windows of the latency call (64: one 64-channel window).
    repeats : int
        Timed repetitions (the best is kept).

    Returns
    -------
    speed : dict
        ``channel_windows_per_s`` and ``latency_64ch_s`` (seconds to denoise
        ``n_latency`` channel-windows in one call, best of ``repeats``).
    """
    segments = np.asarray(segments, dtype=np.float64)
    reference = np.roll(segments, 1, axis=0)

    def timed(x, ref):
        best = np.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            method(x, ref, kind, sfreq)
            best = min(best, time.perf_counter() - t0)
        return best

    method(segments[:2], reference[:2], kind, sfreq)  # warm-up
    total = timed(segments, reference)
    latency = timed(segments[:n_latency], reference[:n_latency])
    return {"channel_windows_per_s": len(segments) / total,
            "latency_64ch_s": latency}


def evaluate(methods, clean, artifacts, *, snrs=TEST_SNR_GRID, sfreq=MODEL_SFREQ,
             random_state=0):
    """Score every method on every artifact kind and SNR.

    Parameters
    ----------
    methods : dict of str -> callable
        See :func:`default_methods`.
    clean : array, shape (n, n_times)
        Clean test segments.
    artifacts : dict of str -> array
        Artifact test segments per kind (``"eog"``, ``"emg"``).
    snrs : sequence of float
        SNR grid in dB.
    sfreq : float
        Sampling rate of the segments.
    random_state : int
        Seed of the pairings.

    Returns
    -------
    rows : list of dict
        One row per method, kind and SNR with ``rrmse_t``, ``rrmse_s``,
        ``cc``, ``snr_imp`` and ``seconds`` (time spent denoising).
    """
    rows = []
    for k, (kind, art) in enumerate(artifacts.items()):
        for j, snr in enumerate(snrs):
            noisy, c, _, ref = make_test_set(
                clean, art, snr, random_state=random_state + 100 * k + j)
            for name, fun in methods.items():
                t0 = time.perf_counter()
                den = fun(noisy, ref, kind, sfreq)
                dt = time.perf_counter() - t0
                rows.append({"method": name, "artifact": kind, "snr": float(snr),
                             "n": len(c), "seconds": dt,
                             **_scores(den, noisy, c, sfreq)})
    return rows


def evaluate_clean(methods, clean, *, sfreq=MODEL_SFREQ, kind="eog",
                   bands=None):
    """Score every method on clean input (what does it do to clean EEG).

    Each clean segment is standardized as the protocol does at inference
    (:func:`mne_denoise._protocol.standardize`), no artifact is added, and the
    output is compared with that input. The reference-based methods get a
    reference channel that holds only unrelated brain activity (the test
    set's reference model without the artifact, see the module docstring).

    Parameters
    ----------
    methods : dict of str -> callable
        See :func:`~mne_denoise.studies.methods.default_methods`.
    clean : array, shape (n, n_times)
        Clean test segments (any units).
    sfreq : float
        Sampling rate of the segments.
    kind : str
        Artifact kind told to the methods (the reference channel's type).
    bands : dict of str -> tuple of float | None
        Bands whose power kept is reported; default
        :data:`CLEAN_INPUT_BANDS` (the protocol's EEG bands and 8-30 Hz).

    Returns
    -------
    rows : list of dict
        One row per method with ``rrmse_t``, ``rrmse_s`` and ``cc`` against
        the input, ``altered`` (the share of segments the method changed:
        RRMSE_t above :data:`ALTERED_RRMSE`), ``band_power`` (band -> mean
        over segments of :func:`mne_denoise.metrics.band_power_ratio`,
        output / input), ``n`` and ``seconds``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(4, 512))
    >>> rows = evaluate_clean({"identity": lambda n, r, k, s: n}, x)
    >>> rows[0]["rrmse_t"], rows[0]["band_power"]["mu_beta"]
    (0.0, 1.0)
    """
    bands = CLEAN_INPUT_BANDS if bands is None else dict(bands)
    clean = np.asarray(clean, dtype=float)
    if clean.ndim != 2 or len(clean) < 1:
        raise ValueError(
            f"clean must hold segments, shape (n, n_times); got {clean.shape}.")
    c = standardize(clean)[0]
    ref = _reference_brain(c)
    rows = []
    for name, fun in methods.items():
        t0 = time.perf_counter()
        den = np.asarray(fun(c, ref, kind, sfreq), dtype=float)
        dt = time.perf_counter() - t0
        rrmse = metrics.rrmse_temporal(den, c)
        rows.append({
            "method": name, "n": len(c), "seconds": dt,
            "rrmse_t": float(rrmse.mean()),
            "altered": float((rrmse > ALTERED_RRMSE).mean()),
            "rrmse_s": float(metrics.rrmse_spectral(den, c, sfreq).mean()),
            "cc": float(metrics.correlation(den, c).mean()),
            "band_power": {
                b: float(metrics.band_power_ratio(den, c, sfreq, lim).mean())
                for b, lim in bands.items()},
        })
    return rows


def summarize(rows, snrs=TEST_SNR_GRID):
    """Average rows over SNRs.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.
    snrs : sequence of float | None
        SNRs to average over. The default, EEGdenoiseNet's test grid
        (-7...2 dB), keeps the means comparable with papers: rows at other
        SNRs (the high SNRs of the run) are left out. None averages all rows.

    Returns
    -------
    summary : dict
        ``{(method, artifact): {metric: mean over SNRs}}``.
    """
    if snrs is not None:
        keep = {float(s) for s in snrs}
        selected = [r for r in rows if float(r["snr"]) in keep]
        if rows and not selected:
            raise ValueError(
                f"No row is at the SNRs {sorted(keep)} dB (rows are at "
                f"{sorted({r['snr'] for r in rows})} dB); pass snrs=None to "
                "average all rows, or the SNRs to average over.")
        rows = selected
    out = {}
    for r in rows:
        out.setdefault((r["method"], r["artifact"]), []).append(r)
    keys = ("rrmse_t", "rrmse_s", "cc", "snr_imp")
    return {k: {m: float(np.mean([r[m] for r in v])) for m in keys}
            for k, v in out.items()}


def markdown_tables(rows, clean_rows=None):
    """Markdown: a summary table, one table per artifact over SNRs, and more.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.
    clean_rows : list of dict | None
        The rows of :func:`evaluate_clean`, for the clean-input table.

    Returns
    -------
    markdown : str
        The summary (mean over the test grid, -7...2 dB, when the rows hold
        it: comparable with papers; over all rows otherwise), one table per
        artifact over the other SNRs, the high-SNR table
        (:func:`high_snr_table`) when the rows hold SNRs of
        :data:`~mne_denoise._protocol.HIGH_SNR_GRID`, and the clean-input
        table (:func:`clean_input_table`) when ``clean_rows`` is given.
    """
    high = {float(s) for s in HIGH_SNR_GRID}
    in_grid = {float(s) for s in TEST_SNR_GRID} & {r["snr"] for r in rows}
    summary = summarize(rows, TEST_SNR_GRID if in_grid else None)
    span = (f"mean over {min(in_grid):g}..{max(in_grid):g} dB"
            if in_grid else "mean over all SNRs")
    lines = [f"Summary ({span}):", "",
             "| method | artifact | RRMSE_t | RRMSE_s | CC | SNR imp. (dB) |",
             "|---|---|---|---|---|---|"]
    for (method, kind), s in summary.items():
        lines.append(f"| {method} | {kind.upper()} | {s['rrmse_t']:.3f} | "
                     f"{s['rrmse_s']:.3f} | {s['cc']:.3f} | {s['snr_imp']:.2f} |")
    kinds = sorted({r["artifact"] for r in rows})
    methods = list(dict.fromkeys(r["method"] for r in rows))
    snrs = sorted({r["snr"] for r in rows} - high)
    for kind in kinds if snrs else ():
        lines += ["", f"RRMSE_t / CC per SNR, {kind.upper()}:", "",
                  "| method | " + " | ".join(f"{s:g} dB" for s in snrs) + " |",
                  "|---|" + "---|" * len(snrs)]
        for m in methods:
            cells = []
            for s in snrs:
                r = next(r for r in rows if r["method"] == m
                         and r["artifact"] == kind and r["snr"] == s)
                cells.append(f"{r['rrmse_t']:.2f} / {r['cc']:.2f}")
            lines.append(f"| {m} | " + " | ".join(cells) + " |")
    if high & {r["snr"] for r in rows}:
        lines += ["", high_snr_table(rows)]
    if clean_rows:
        lines += ["", clean_input_table(clean_rows)]
    return "\n".join(lines)


def high_snr_table(rows, snrs=HIGH_SNR_GRID):
    """Markdown: RRMSE_t / CC of every method at the high SNRs.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.
    snrs : sequence of float
        The SNRs of the table (default
        :data:`~mne_denoise._protocol.HIGH_SNR_GRID`); those the rows lack
        are left out.

    Returns
    -------
    markdown : str
        One line per method, one column per artifact kind and SNR. At high
        SNR doing nothing is already close (RRMSE_t ``10**(-SNR/10)``), so a
        method helps only where it beats the "No denoising" row.
    """
    present = {r["snr"] for r in rows}
    wanted = [float(s) for s in snrs]
    snrs = [s for s in wanted if s in present]
    if not snrs:
        raise ValueError(
            f"The rows hold none of the SNRs {wanted} dB; evaluate them, e.g. "
            "evaluate(..., snrs=TEST_SNR_GRID + HIGH_SNR_GRID).")
    kinds = list(dict.fromkeys(r["artifact"] for r in rows))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    cols = [(k, s) for k in kinds for s in snrs]
    lines = ["RRMSE_t / CC at high SNR (mildly contaminated input; not part of "
             "the summary's mean):", "",
             "| method | " + " | ".join(f"{k.upper()} {s:g} dB" for k, s in cols)
             + " |", "|---|" + "---|" * len(cols)]
    index = {(r["method"], r["artifact"], r["snr"]): r for r in rows}
    for m in methods:
        cells = []
        for k, s in cols:
            r = index.get((m, k, s))
            cells.append("-" if r is None else
                         f"{r['rrmse_t']:.2f} / {r['cc']:.2f}")
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def clean_input_table(clean_rows):
    """Markdown: what every method does to clean EEG, and which is best.

    Parameters
    ----------
    clean_rows : list of dict
        The rows of :func:`evaluate_clean`.

    Returns
    -------
    markdown : str
        One line per method: RRMSE_t, RRMSE_s and CC between output and
        input, then the share of band power kept (output / input) in 8-30 Hz
        (bold) and in each EEG band; below it, the best method on clean input
        (lowest RRMSE_t, said plainly when it is "No denoising"), the best
        of the others, and the methods within :data:`CLEAN_INPUT_TARGET`.
    """
    if not clean_rows:
        raise ValueError("clean_rows is empty; pass the rows of evaluate_clean.")
    bands = list(dict.fromkeys(b for r in clean_rows for b in r["band_power"]))
    main = "mu_beta" if "mu_beta" in bands else None
    others = [b for b in bands if b != main]

    def label(b):
        lim = CLEAN_INPUT_BANDS.get(b)
        return f"{b} {lim[0]:g}-{lim[1]:g} Hz" if lim else b

    head = ["RRMSE_t", "RRMSE_s", "CC"]
    head += ([f"**{MU_BETA_BAND[0]:g}-{MU_BETA_BAND[1]:g} Hz kept**"]
             if main else [])
    head += [label(b) for b in others]
    lines = ["Clean input (no artifact; output compared with the input; band "
             "power kept = output / input, Welch PSD):", "",
             "| method | " + " | ".join(head) + " |",
             "|---|" + "---|" * len(head)]

    def pct(v):
        return f"{100 * v:.1f} %"

    for r in clean_rows:
        bp = r["band_power"]
        cells = [f"{r['rrmse_t']:.3f}", f"{r['rrmse_s']:.3f}", f"{r['cc']:.3f}"]
        cells += [f"**{pct(bp[main])}**"] if main else []
        cells += [pct(bp[b]) if b in bp else "-" for b in others]
        lines.append(f"| {r['method']} | " + " | ".join(cells) + " |")

    def describe(r):
        text = f"{r['method']} (RRMSE_t {r['rrmse_t']:.3f}, CC {r['cc']:.3f}"
        if main:
            text += (f", {pct(r['band_power'][main])} of the "
                     f"{MU_BETA_BAND[0]:g}-{MU_BETA_BAND[1]:g} Hz power kept")
        return text + ")"

    ranked = sorted(clean_rows, key=lambda r: (r["rrmse_t"], -r["cc"]))
    best = ranked[0]
    lines.append("")
    if best["method"] == "No denoising":
        lines.append("Best on clean input: No denoising, which returns its input "
                     "unchanged; every denoiser alters clean EEG more than "
                     "doing nothing.")
        if len(ranked) > 1:
            lines.append(f"Best of the denoisers: {describe(ranked[1])}.")
    else:
        lines.append(f"Best on clean input: {describe(best)}.")
    target = CLEAN_INPUT_TARGET
    safe = [r["method"] for r in ranked if r["method"] != "No denoising"
            and r["rrmse_t"] <= target["rrmse_t"]
            and (not main or r["band_power"][main] >= target["mu_beta"])]
    rule = f"RRMSE_t <= {target['rrmse_t']:g}" + (
        f" and >= {100 * target['mu_beta']:g} % of the "
        f"{MU_BETA_BAND[0]:g}-{MU_BETA_BAND[1]:g} Hz power kept" if main else "")
    lines.append(f"Leave clean EEG alone ({rule}): "
                 + (", ".join(safe) if safe else "none of the denoisers") + ".")
    return "\n".join(lines)


def measure_throughput(*, n_epochs=100, n_channels=64, sfreq=160.0, device="cpu",
                       repeats=3, random_state=0):
    """CPU throughput of FreqDomainDenoiser.transform on 2-s multichannel epochs.

    The benchmark's one-line figure; :func:`mne_denoise.studies.speed.run_speed`
    times every shipped method side by side, with the same timing
    (:func:`~mne_denoise.studies.speed.measure_transform_speed`).

    Parameters
    ----------
    n_epochs, n_channels : int
        Size of the random test data.
    sfreq : float
        Its sampling rate.
    device : str
        Device of the denoiser.
    repeats : int
        Timed calls of the whole data (the best is kept); the latency is the
        median of ``10 * repeats`` one-epoch calls.
    random_state : int
        Seed of the test data.

    Returns
    -------
    result : dict
        ``channel_windows_per_s`` (EEG channel-windows of 2 s per second,
        best of ``repeats``) and ``latency_64ch_s`` (one 64-channel 2-s
        epoch).
    """
    rng = np.random.default_rng(random_state)
    n_times = int(round(2 * sfreq))
    X = rng.normal(size=(n_epochs, n_channels, n_times)) * 1e-5
    den = FreqDomainDenoiser(sfreq=sfreq, device=device).fit(X[:1])
    speed = measure_transform_speed({"fd": den}, X, repeats=10 * repeats)["fd"]
    return {"channel_windows_per_s": speed["channel_windows_per_s"],
            "latency_64ch_s": speed["latency_s"], "n_channels": n_channels,
            "sfreq": sfreq, "device": device,
            "torch_threads": torch.get_num_threads()}


def cost_table(costs):
    """Markdown table of each method's size, training and speed.

    Parameters
    ----------
    costs : dict of str -> dict
        Method -> ``n_params``, ``training`` (dict or None) and ``speed``
        (from :func:`measure_method_speed`).

    Returns
    -------
    markdown : str
        The table.
    """
    lines = ["| method | parameters | training | channel-windows/s | "
             "latency, 64 ch (ms) |", "|---|---|---|---|---|"]
    for name, c in costs.items():
        n_params = f"{c['n_params']:,}" if c.get("n_params") else "-"
        tr = c.get("training")
        if not tr:
            training = "none"
        elif tr.get("shipped"):
            training = f"shipped: {tr['seconds']:.0f} s ({tr.get('hardware')})"
        else:
            training = (f"{tr['seconds']:.0f} s, {tr['segments']:,} segments "
                        f"({tr['device']})")
        sp = c["speed"]
        lines.append(f"| {name} | {n_params} | {training} | "
                     f"{sp['channel_windows_per_s']:.0f} | "
                     f"{sp['latency_64ch_s'] * 1000:.1f} |")
    return "\n".join(lines)


#: Method-name prefixes of the classical (not deep) methods of the benchmark.
CLASSICAL_PREFIXES = ("No denoising", "EOGRegression", "Frequency-domain regression",
                      "Bandpass", "Band-pass", "ICA",
                      "LowRankDenoiser (classical")

#: The warning that opens the summary of a ``--quick`` run.
QUICK_WARNING = (
    "**Quick run (--quick): few test segments, and the networks trained in "
    "the run had an 8-s budget. These numbers check that the command runs; "
    "they are not results to quote or to compare methods by.**")


def _mode(method):
    """``'reference'`` for methods that use the EOG/EMG references, else blind."""
    return "reference" if "(reference" in method else "blind"


def best_methods_text(rows):
    """Markdown: the best method per artifact kind and mode, whatever it is.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.

    Returns
    -------
    markdown : str
        Per artifact kind, the best method overall and in each mode (blind;
        reference, using the EOG/EMG channels) by RRMSE_t (mean over the
        test SNRs), with its CC and the runner-up, and a sentence when the
        best is a classical method (no deep network in the table beats it).
    """
    summary = summarize(rows)
    methods = [m for m in dict.fromkeys(r["method"] for r in rows)
               if m != "No denoising"]
    lines = ["Best method per artifact kind and mode (RRMSE_t, mean over the "
             "test SNRs; lower is better):", "",
             "| artifact | mode | best method | RRMSE_t | CC | runner-up |",
             "|---|---|---|---|---|---|"]
    notes = []
    for kind in dict.fromkeys(r["artifact"] for r in rows):
        ranked = sorted((summary[(m, kind)]["rrmse_t"], m) for m in methods
                        if (m, kind) in summary)
        if not ranked:
            continue
        for mode in ("all", "blind", "reference"):
            pool = [(v, m) for v, m in ranked if mode == "all" or _mode(m) == mode]
            if not pool:
                continue
            (v, m), rest = pool[0], pool[1:]
            runner = f"{rest[0][1]} ({rest[0][0]:.3f})" if rest else "-"
            cc = summary[(m, kind)]["cc"]
            lines.append(f"| {kind.upper()} | {mode} | {m} | {v:.3f} | "
                         f"{cc:.3f} | {runner} |")
        best = ranked[0][1]
        if best.startswith(CLASSICAL_PREFIXES):
            deep = [(v, m) for v, m in ranked
                    if not m.startswith(CLASSICAL_PREFIXES)]
            if deep:
                notes.append(
                    f"- {kind.upper()}: the best method is {best}, a classical "
                    f"method; no deep model in this table beats it (best deep: "
                    f"{deep[0][1]}, RRMSE_t {deep[0][0]:.3f}).")
    return "\n".join(lines + ([""] + notes if notes else []))


def comparison_text(rows, *, quick=False):
    """Markdown: the best methods, published values, ours against EEGdenoiseNet's.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.
    quick : bool
        The rows come from a ``--quick`` run: the text opens with
        :data:`QUICK_WARNING`.

    Returns
    -------
    markdown : str
        The best method per artifact kind and mode
        (:func:`best_methods_text`), the published EEGdenoiseNet values
        (labelled as such) and, per artifact kind, the best of the four
        EEGdenoiseNet networks trained here against each FreqDomainDenoiser
        and LowRankUnfoldedDenoiser row (RRMSE_t, mean over SNRs).
    """
    lines = [QUICK_WARNING, ""] if quick else []
    lines += [best_methods_text(rows), ""]
    lines += ["Published EEGdenoiseNet results, **measured on EEGdenoiseNet's own "
             "data, split and PSD estimator; not comparable with the tables "
             "above, for orientation only**:", "",
             "| artifact | best published network | RRMSE_t | RRMSE_s | CC |",
             "|---|---|---|---|---|"]
    for kind, (net, t, sp, cc) in PUBLISHED_EEGDENOISENET.items():
        lines.append(f"| {kind.upper()} | {net} | {t} | {sp} | {cc} |")
    summary = summarize(rows)
    ours = [m for m in dict.fromkeys(r["method"] for r in rows)
            if m.startswith(("FreqDomainDenoiser", "LowRankUnfoldedDenoiser"))]
    nets = [budget_name(n) for n in EEGDENOISENET_DENOISERS]
    for kind in dict.fromkeys(r["artifact"] for r in rows):
        found = [(summary[(n, kind)]["rrmse_t"], n) for n in nets
                 if (n, kind) in summary]
        if not found or not ours:
            continue
        best, best_name = min(found)
        lines += ["", f"{kind.upper()}: best EEGdenoiseNet network under this "
                  f"protocol: {best_name}, RRMSE_t {best:.3f}.", ""]
        for m in ours:
            v = summary[(m, kind)]["rrmse_t"]
            verdict = "matches or beats it" if v <= best + 0.005 else "worse"
            lines.append(f"- {m}: {v:.3f} ({v - best:+.3f}, {verdict})")
    return "\n".join(lines)


def run_benchmark(*, out="benchmark_results", data=None, quick=False,
                  max_segments=None, device="auto", random_state=0,
                  low_rank_solver=False, zoo_budget_s=None, figure=True,
                  weights="pretrained", verbose=True):
    """Run the benchmark, print a markdown report and save JSON + markdown.

    Parameters
    ----------
    out : path-like
        Output folder.
    data : path-like | None
        Folder of the shared recordings.
    quick : bool
        Evaluate on at most 100 test segments per pool and train each model
        for :data:`QUICK_BUDGET_S` seconds: a check that everything runs
        (minutes on a laptop CPU), not figures to quote.
    max_segments : int | None
        Cap of test segments per pool (overrides ``quick``).
    device : str
        Device of the deep denoisers (training and evaluation; the speed
        columns are measured on it too).
    random_state : int
        Seed of the pools' split and the pairings.
    low_rank_solver : bool
        Also run the classical :class:`~mne_denoise.LowRankDenoiser` (slow:
        about 0.1 s per window on CPU).
    zoo_budget_s : float | None
        Training seconds per model for the eight networks of the model zoo
        and for FreqDomainDenoiser and LowRankUnfoldedDenoiser trained from
        random weights (the same stated budget for all). None:
        :data:`FULL_BUDGET_S`, or :data:`QUICK_BUDGET_S` with ``quick``;
        0 leaves these trained models out.
    figure : bool
        Save ``benchmark_rrmse_t.png``, the per-SNR curves (needs
        matplotlib).
    weights : ``'pretrained'`` | path-like | dict
        Weights of the deep denoisers, as
        :func:`~mne_denoise.studies.methods.default_methods` takes them
        (e.g. newly trained weights, before they ship).
    verbose : bool
        Print progress and the report.

    Returns
    -------
    report : dict
        Rows (test grid and high SNRs), summary (mean over the test grid),
        ``high_snr_summary``, ``clean_input`` (the rows of
        :func:`evaluate_clean`), the unseen-source test (``unseen_rows``,
        ``unseen_summary``, ``unseen_clean_input`` per clean source and
        ``unseen_sources``: the same methods on
        :func:`~mne_denoise.datasets.make_unseen_pools`, at most
        :data:`UNSEEN_MAX_SEGMENTS` segments per pool), costs, throughput
        and the markdown text.
    """
    if max_segments is None and quick:
        max_segments = 100
    if zoo_budget_s is None:
        zoo_budget_s = QUICK_BUDGET_S if quick else FULL_BUDGET_S
    pools = make_benchmark_pools(random_state=random_state, path=data)
    rng = np.random.default_rng(random_state)

    def test(kind):
        x = pools[kind][2].data
        if max_segments is not None and len(x) > max_segments:
            x = x[rng.choice(len(x), max_segments, replace=False)]
        return x

    clean = test("eeg")
    artifacts = {"eog": test("eog"), "emg": test("emg")}
    artifacts["mixed"] = make_mixed_artifacts(
        artifacts["eog"], artifacts["emg"],
        max(len(artifacts["eog"]), len(artifacts["emg"])),
        random_state=random_state)
    # The deep denoisers' gate is calibrated on the training pools, never on
    # the test segments.
    pick = np.random.default_rng(random_state + 1).choice(
        len(pools["eeg"][0]), min(400, len(pools["eeg"][0])), replace=False)
    calibration = (pools["eeg"][0].data[np.sort(pick)],
        [pools["eog"][0].data, pools["emg"][0].data])
    methods = default_methods(device=device, calibration=calibration,
                              weights=weights)
    if low_rank_solver:
        def low_rank(noisy, reference, kind, sfreq):
            return LowRankDenoiser(sfreq=sfreq).fit(noisy[:1]).transform(noisy)

        methods["LowRankDenoiser (classical, blind)"] = low_rank
    if zoo_budget_s > 0:
        methods.update(zoo_methods(
            pools["eeg"][0], {"eog": pools["eog"][0], "emg": pools["emg"][0]},
            budget_s=zoo_budget_s, device=device, random_state=random_state,
            models=OWN_DENOISERS + ZOO_DENOISERS, verbose=verbose))
    # The test grid first, so that its pairings (seeded by position) match
    # runs that scored the grid alone.
    rows = evaluate(methods, clean, artifacts, snrs=TEST_SNR_GRID + HIGH_SNR_GRID,
                    random_state=random_state)
    clean_rows = evaluate_clean(methods, clean)
    # The unseen-source test: the same methods on whole sources that no
    # training or validation split drew from (UNSEEN_SOURCES). The gate is
    # part of fit and learns what clean EEG looks like in the data it is
    # given, so on a new source it is calibrated as a user's fit would be:
    # on that source's clean EEG, here a seeded half of its segments that
    # the test never sees (the artifacts it learns to flag stay those of the
    # training pools). The zoo networks trained in the run keep theirs.
    unseen = make_unseen_pools(random_state=random_state, path=data)
    cap = max_segments or UNSEEN_MAX_SEGMENTS
    rng_unseen = np.random.default_rng(random_state + 2)
    unseen_clean, own_methods, test_clean = {}, {}, {}
    for key, name in UNSEEN_CLEAN_NAMES.items():
        x = unseen[key].data[rng_unseen.permutation(len(unseen[key]))]
        half = len(x) // 2
        test_clean[key] = x[half:][:cap]
        own_methods[key] = {**methods, **default_methods(
            device=device, weights=weights,
            calibration=(x[:half][:400], calibration[1]))}
        unseen_clean[name] = evaluate_clean(own_methods[key], test_clean[key])
    unseen_art = {k: unseen[k].data[np.sort(rng_unseen.permutation(
        len(unseen[k]))[:cap])] for k in ("eog", "emg")}
    unseen_art["mixed"] = make_mixed_artifacts(
        unseen_art["eog"], unseen_art["emg"],
        max(len(unseen_art["eog"]), len(unseen_art["emg"])),
        random_state=random_state)
    unseen_rows = evaluate(own_methods["eeg"], test_clean["eeg"], unseen_art,
                           snrs=TEST_SNR_GRID, random_state=random_state)
    # Speed of every method on the same standardized noisy segments.
    noisy = make_test_set(clean, artifacts["eog"], 0.0,
                          random_state=random_state)[0]
    n_speed = 256 if quick else 1024
    noisy = noisy[rng.integers(len(noisy), size=n_speed)]
    costs = {name: {"n_params": getattr(fun, "n_params", None),
                    "training": getattr(fun, "training", None),
                    "speed": measure_method_speed(fun, noisy,
                                                  repeats=1 if quick else 2)}
             for name, fun in methods.items() if name != "No denoising"}
    trained_on = sorted({c["training"]["device"] for c in costs.values()
                         if c["training"] and not c["training"].get("shipped")})
    thr = measure_throughput(repeats=1 if quick else 3)
    meta = load_pretrained("freq_domain")["meta"]
    md = markdown_tables(rows, clean_rows)
    md += (
        "\n\n## Unseen sources\n\nWhole sources that no training or "
        "validation split drew from (clean EEG: "
        + "; ".join(UNSEEN_SOURCES["eeg"]) + "; EOG: "
        + ", ".join(UNSEEN_SOURCES["eog"]) + "; EMG: "
        + ", ".join(UNSEEN_SOURCES["emg"]) + f"): {len(test_clean['eeg'])} clean "
        + ", ".join(f"{len(v)} {k.upper()}" for k, v in unseen_art.items())
        + " segments, the same SNR grid. The deep denoisers' gate is "
        "calibrated on other clean segments of the same source, as a user's "
        "fit on their own recording would be.\n\n"
        + markdown_tables(unseen_rows)
    )
    for name, crow in unseen_clean.items():
        md += f"\n\nClean input, {name} ({crow[0]['n']} segments):\n\n"
        md += clean_input_table(crow)
    md += (
        f"\n\nTest segments: {len(clean)} clean EEG, "
        + ", ".join(f"{len(v)} {k.upper()}" for k, v in artifacts.items())
        + f"; SNR grid {TEST_SNR_GRID[0]:g}..{TEST_SNR_GRID[-1]:g} dB "
        "(10*log10 RMS ratio; the summary's mean), and "
        + ", ".join(f"{s:g}" for s in HIGH_SNR_GRID) + " dB (high-SNR table).\n"
    )
    md += (
        f"Trained in the run: every zoo network, and FreqDomainDenoiser and "
        f"LowRankUnfoldedDenoiser from random weights ('budget' rows), "
        f"{zoo_budget_s:g} s each on {', '.join(trained_on)}, from the same "
        "training pools.\n"
        if zoo_budget_s > 0 else "\n"
    )
    md += (
        "\nSize, training and speed (speed: standardized 2-s segments at "
        f"{MODEL_SFREQ:g} Hz, one channel-window each, {n_speed} per call; "
        f"latency: 64 in one call; torch threads: {_torch_threads()}):\n\n"
        + cost_table(costs) + "\n\n" + comparison_text(rows, quick=quick)
        + "\n\n"
        f"FreqDomainDenoiser.transform on MNE-shaped data: "
        f"{thr['channel_windows_per_s']:.0f} EEG channel-windows of 2 s per s "
        f"({thr['n_channels']} ch, {thr['sfreq']:g} Hz, {thr['device']}, "
        f"{thr['torch_threads']} threads); latency of one 64-ch 2-s epoch "
        f"{thr['latency_64ch_s'] * 1000:.1f} ms.\n"
        f"Shipped model training time: {meta.get('train_seconds', float('nan')):.0f}"
        f" s on {meta.get('hardware', 'unknown hardware')}.\n"
    )
    if verbose:
        print(md)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "rows": rows,
        "summary": {f"{m} | {k}": v for (m, k), v in summarize(rows).items()},
        "high_snr_summary": {
            f"{m} | {k}": v
            for (m, k), v in summarize(rows, HIGH_SNR_GRID).items()},
        "clean_input": clean_rows,
        "unseen_rows": unseen_rows,
        "unseen_summary": {f"{m} | {k}": v
                           for (m, k), v in summarize(unseen_rows).items()},
        "unseen_clean_input": unseen_clean,
        "unseen_sources": UNSEEN_SOURCES,
        "snr_grid": list(TEST_SNR_GRID),
        "high_snr_grid": list(HIGH_SNR_GRID),
        "costs": costs,
        "throughput": thr,
        "training": meta,
        "budget_s": zoo_budget_s,
        "n_test": {"eeg": len(clean), **{k: len(v) for k, v in artifacts.items()}},
    }
    save_results(out, "benchmark", report, md)
    if figure:
        import matplotlib.pyplot as plt

        from ..viz import plot_benchmark

        fig = plot_benchmark(rows, show=False)
        fig.savefig(out / "benchmark_rrmse_t.png", dpi=110)
        plt.close(fig)
        report["figure"] = str(out / "benchmark_rrmse_t.png")
    report["markdown"] = md
    return report


def _torch_threads():
    return torch.get_num_threads()
