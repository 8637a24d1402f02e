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
"""

import json
import time
from pathlib import Path

import numpy as np

from . import metrics
from ._protocol import MODEL_SFREQ, TEST_SNR_GRID, mix_at_snr

#: Amplitude of the brain activity a reference channel picks up, relative to
#: the clean segment (see the module docstring).
REFERENCE_BRAIN_GAIN = 0.5


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
    other = np.roll(c, 1, axis=0)
    gain = REFERENCE_BRAIN_GAIN * np.std(c, axis=1, keepdims=True) / (
        np.std(other, axis=1, keepdims=True) + 1e-12)
    return noisy, c, a, a + gain * other


def _scores(denoised, noisy, clean, sfreq):
    return {
        "rrmse_t": float(metrics.rrmse_temporal(denoised, clean).mean()),
        "rrmse_s": float(metrics.rrmse_spectral(denoised, clean, sfreq).mean()),
        "cc": float(metrics.correlation(denoised, clean).mean()),
        "snr_imp": float(metrics.snr_improvement(denoised, noisy, clean).mean()),
    }


def _two_channel_epochs(noisy, reference, kind, sfreq):
    import mne

    info = mne.create_info(["EEG", kind.upper()], sfreq, ["eeg", kind])
    epochs = mne.EpochsArray(np.stack([noisy, reference], axis=1), info,
                             verbose=False)
    # The segments are already referenced; say so (EOGRegression insists).
    return epochs.set_eeg_reference([], verbose=False)


def default_methods(*, device="auto", weights="pretrained"):
    """The methods compared by ``mne-denoise benchmark``.

    Parameters
    ----------
    device : str
        Device of the deep denoisers (``'auto'``, ``'cpu'`` or ``'cuda'``).
    weights : ``'pretrained'`` | path-like
        Weights of :class:`~mne_denoise.FreqDomainDenoiser`.

    Returns
    -------
    methods : dict of str -> callable
        Name -> ``f(noisy, reference, kind, sfreq) -> denoised`` on
        standardized ``(n, n_times)`` segments.
    """
    import mne

    from .denoisers import FreqDomainDenoiser, LowRankUnfoldedDenoiser

    def identity(noisy, reference, kind, sfreq):
        return noisy

    def bandpass(noisy, reference, kind, sfreq):
        # IIR (4th-order Butterworth, zero phase): a 1 Hz FIR is longer than
        # a 2-s segment.
        return mne.filter.filter_data(noisy, sfreq, 1.0, 40.0, method="iir",
                                      verbose=False)

    def eog_regression(noisy, reference, kind, sfreq):
        from mne.preprocessing import EOGRegression

        epochs = _two_channel_epochs(noisy, reference, kind, sfreq)
        reg = EOGRegression(picks="eeg", picks_artifact=kind, proj=False)
        return reg.fit(epochs).apply(epochs).get_data()[:, 0]

    def freq_blind(noisy, reference, kind, sfreq):
        den = FreqDomainDenoiser(sfreq=sfreq, noise_estimate="blind",
                                 weights=weights, device=device)
        return den.fit(noisy[:1]).transform(noisy)

    def low_rank_unfolded(noisy, reference, kind, sfreq):
        den = LowRankUnfoldedDenoiser(sfreq=sfreq, device=device)
        return den.fit(noisy[:1]).transform(noisy)

    def freq_reference(noisy, reference, kind, sfreq):
        epochs = _two_channel_epochs(noisy, reference, kind, sfreq)
        den = FreqDomainDenoiser(noise_estimate="reference", weights=weights,
                                 device=device)
        return den.fit(epochs).transform(epochs.get_data())[:, 0]

    return {
        "No denoising": identity,
        "Band-pass 1-40 Hz": bandpass,
        "EOGRegression (reference)": eog_regression,
        "FreqDomainDenoiser (reference)": freq_reference,
        "FreqDomainDenoiser (blind)": freq_blind,
        "LowRankUnfoldedDenoiser (blind)": low_rank_unfolded,
    }


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


def summarize(rows):
    """Average rows over SNRs.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.

    Returns
    -------
    summary : dict
        ``{(method, artifact): {metric: mean over SNRs}}``.
    """
    out = {}
    for r in rows:
        out.setdefault((r["method"], r["artifact"]), []).append(r)
    keys = ("rrmse_t", "rrmse_s", "cc", "snr_imp")
    return {k: {m: float(np.mean([r[m] for r in v])) for m in keys}
            for k, v in out.items()}


def markdown_tables(rows):
    """Markdown: a summary table, then one table per artifact over SNRs.

    Parameters
    ----------
    rows : list of dict
        The rows of :func:`evaluate`.

    Returns
    -------
    markdown : str
        The tables.
    """
    lines = ["| method | artifact | RRMSE_t | RRMSE_s | CC | SNR imp. (dB) |",
             "|---|---|---|---|---|---|"]
    for (method, kind), s in summarize(rows).items():
        lines.append(f"| {method} | {kind.upper()} | {s['rrmse_t']:.3f} | "
                     f"{s['rrmse_s']:.3f} | {s['cc']:.3f} | {s['snr_imp']:.2f} |")
    kinds = sorted({r["artifact"] for r in rows})
    methods = list(dict.fromkeys(r["method"] for r in rows))
    snrs = sorted({r["snr"] for r in rows})
    for kind in kinds:
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
    return "\n".join(lines)


def measure_throughput(*, n_epochs=100, n_channels=64, sfreq=160.0, device="cpu",
                       repeats=3, random_state=0):
    """CPU throughput of FreqDomainDenoiser.transform on 2-s multichannel epochs.

    Parameters
    ----------
    n_epochs, n_channels : int
        Size of the random test data.
    sfreq : float
        Its sampling rate.
    device : str
        Device of the denoiser.
    repeats : int
        Timed repetitions (the best is kept).
    random_state : int
        Seed of the test data.

    Returns
    -------
    result : dict
        ``channel_windows_per_s`` (EEG channel-windows of 2 s per second,
        best of ``repeats``) and ``latency_64ch_s`` (one 64-channel 2-s
        epoch).
    """
    import torch

    from .denoisers import FreqDomainDenoiser

    torch.set_num_threads(max(1, torch.get_num_threads()))
    rng = np.random.default_rng(random_state)
    n_times = int(round(2 * sfreq))
    X = rng.normal(size=(n_epochs, n_channels, n_times)) * 1e-5
    den = FreqDomainDenoiser(sfreq=sfreq, device=device).fit(X[:1])
    den.transform(X[:2])
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        den.transform(X)
        best = min(best, time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(5):
        den.transform(X[:1])
    latency = (time.perf_counter() - t0) / 5
    return {"channel_windows_per_s": n_epochs * n_channels / best,
            "latency_64ch_s": latency, "n_channels": n_channels,
            "sfreq": sfreq, "device": device,
            "torch_threads": torch.get_num_threads()}


def run_benchmark(*, out="benchmark_results", data=None, quick=False,
                  max_segments=None, device="auto", random_state=0,
                  low_rank_solver=False, zoo_budget_s=None):
    """Run the benchmark, print a markdown report and save JSON + markdown.

    Parameters
    ----------
    out : path-like
        Output folder.
    data : path-like | None
        Folder of the shared recordings.
    quick : bool
        Evaluate on at most 100 test segments per pool.
    max_segments : int | None
        Cap of test segments per pool (overrides ``quick``).
    device : str
        Device of the deep denoisers.
    random_state : int
        Seed of the pools' split and the pairings.
    low_rank_solver : bool
        Also run the classical :class:`~mne_denoise.LowRankDenoiser` (slow:
        about 0.1 s per window on CPU).
    zoo_budget_s : float | None
        Also train every network of the model zoo for this many seconds each
        on the training pools (the same stated budget for all), and evaluate
        them; None leaves the zoo out.

    Returns
    -------
    report : dict
        Rows, summary, throughput and the markdown text.
    """
    from .datasets import make_benchmark_pools
    from .weights import load_pretrained

    if max_segments is None and quick:
        max_segments = 100
    pools = make_benchmark_pools(random_state=random_state, path=data)
    rng = np.random.default_rng(random_state)

    def test(kind):
        x = pools[kind][2].data
        if max_segments is not None and len(x) > max_segments:
            x = x[rng.choice(len(x), max_segments, replace=False)]
        return x

    clean = test("eeg")
    artifacts = {"eog": test("eog"), "emg": test("emg")}
    methods = default_methods(device=device)
    if low_rank_solver:
        from .denoisers import LowRankDenoiser

        def low_rank(noisy, reference, kind, sfreq):
            return LowRankDenoiser(sfreq=sfreq).fit(noisy[:1]).transform(noisy)

        methods["LowRankDenoiser (classical, blind)"] = low_rank
    if zoo_budget_s is not None:
        from ._zoo_benchmark import zoo_methods

        methods.update(zoo_methods(
            pools["eeg"][0], {"eog": pools["eog"][0], "emg": pools["emg"][0]},
            budget_s=zoo_budget_s, device=device, random_state=random_state))
    rows = evaluate(methods, clean, artifacts, random_state=random_state)
    thr = measure_throughput(repeats=1 if quick else 3)
    meta = load_pretrained("freq_domain")["meta"]
    md = markdown_tables(rows)
    md += (
        f"\n\nTest segments: {len(clean)} clean EEG, "
        + ", ".join(f"{len(v)} {k.upper()}" for k, v in artifacts.items())
        + f"; SNR grid {TEST_SNR_GRID[0]:g}..{TEST_SNR_GRID[-1]:g} dB "
        "(10*log10 RMS ratio).\n"
        f"FreqDomainDenoiser.transform throughput: "
        f"{thr['channel_windows_per_s']:.0f} EEG channel-windows of 2 s per s "
        f"({thr['n_channels']} ch, {thr['sfreq']:g} Hz, {thr['device']}, "
        f"{thr['torch_threads']} threads); latency of one 64-ch 2-s epoch "
        f"{thr['latency_64ch_s'] * 1000:.1f} ms.\n"
        f"Shipped model training time: {meta.get('train_seconds', float('nan')):.0f}"
        f" s on {meta.get('hardware', 'unknown hardware')}.\n"
    )
    print(md)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "rows": rows,
        "summary": {f"{m} | {k}": v for (m, k), v in summarize(rows).items()},
        "throughput": thr,
        "training": meta,
        "n_test": {"eeg": len(clean), **{k: len(v) for k, v in artifacts.items()}},
    }
    (out / "benchmark.json").write_text(json.dumps(report, indent=2))
    (out / "benchmark.md").write_text(md)
    report["markdown"] = md
    return report
