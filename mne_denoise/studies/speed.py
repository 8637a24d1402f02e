# License: BSD-3-Clause
"""How fast the shipped denoisers clean MNE-shaped data, side by side.

One run times ``transform`` of every shipped method on the same random
64-channel 2-s epochs (a standard montage, so that the multichannel model
runs too): the latency of one epoch, which is what a real-time loop waits
for each hop, and the throughput on a batch of epochs. Each method is timed
at every thread count asked for, with the process's default memory
allocator and then after :func:`mne_denoise.utils.reuse_freed_memory`
(which cannot be undone, hence that order). Machines shared with other jobs
drift: compare rows of one run, not figures of two.
"""

import platform
import time

import mne
import numpy as np
import torch

from ..datasets._montage import _builtin_montage
from ..denoisers import (
    BandpassDenoiser,
    FreqDomainDenoiser,
    LowRankUnfoldedDenoiser,
    SpatialDenoiser,
    UNetDenoiser,
)
from ..utils._memory import reuse_freed_memory
from ._results import save_results

__all__ = ["SPEED_METHODS", "measure_transform_speed", "run_speed",
           "speed_table"]

#: Name -> ``f(info) -> unfitted denoiser`` of the methods timed, the
#: shipped weights of each deep denoiser (their gate is calibrated in fit).
SPEED_METHODS = {
    "Band-pass 1-40 Hz (IIR)": lambda info: BandpassDenoiser(1.0, 40.0,
                                                             info=info),
    "FreqDomainDenoiser": lambda info: FreqDomainDenoiser(info, device="cpu"),
    "FreqDomainDenoiser, no gate": lambda info: FreqDomainDenoiser(
        info, threshold=None, device="cpu"),
    "LowRankUnfoldedDenoiser": lambda info: LowRankUnfoldedDenoiser(
        info, device="cpu"),
    "UNetDenoiser": lambda info: UNetDenoiser(info, weights="pretrained",
                                              max_epochs=0, device="cpu"),
    "SpatialDenoiser": lambda info: SpatialDenoiser(info, device="cpu"),
}


def _random_epochs(n_epochs, n_channels, sfreq, random_state):
    """Random EEG-scaled epochs on channels spread over the 10-05 montage."""
    montage = _builtin_montage("1005")
    step = max(1, len(montage.ch_names) // n_channels)
    names = montage.ch_names[::step][:n_channels]
    info = mne.create_info(names, sfreq, "eeg")
    info.set_montage(montage)
    rng = np.random.default_rng(random_state)
    n_times = int(round(2 * sfreq))
    return rng.normal(size=(n_epochs, n_channels, n_times)) * 1e-5, info


def measure_transform_speed(denoisers, X, *, repeats=20):
    """Latency of one epoch and throughput of ``transform``, interleaved.

    The calls go round-robin over the denoisers (one call of each, then
    the next round), so that a machine whose speed drifts during the run
    slows every method alike.

    Parameters
    ----------
    denoisers : dict of str -> BaseDenoiser
        Fitted denoisers.
    X : array, shape (n_epochs, n_channels, n_times)
        Epochs they were fitted for.
    repeats : int
        Rounds of one-epoch calls (each method's median is its latency);
        ``max(1, repeats // 10)`` rounds of the whole batch (the best counts).

    Returns
    -------
    speed : dict of str -> dict
        Per denoiser: ``latency_s`` (median seconds for ``X[:1]``),
        ``latency_min_s`` and ``channel_windows_per_s`` (EEG channels of 2 s
        cleaned per second on ``X``, best round).
    """
    for den in denoisers.values():
        den.transform(X[:2])  # warm-up: caches, lazy imports

    def rounds(x, n):
        times = {name: [] for name in denoisers}
        for _ in range(n):
            for name, den in denoisers.items():
                t0 = time.perf_counter()
                den.transform(x)
                times[name].append(time.perf_counter() - t0)
        return times

    one = rounds(X[:1], repeats)
    batch = rounds(X, max(1, repeats // 10))
    out = {}
    for name, den in denoisers.items():
        seconds = X.shape[2] / float(den.info_["sfreq"])
        n_windows = X.shape[0] * X.shape[1] * seconds / 2.0
        out[name] = {"latency_s": float(np.median(one[name])),
                     "latency_min_s": float(np.min(one[name])),
                     "channel_windows_per_s": float(n_windows
                                                    / min(batch[name]))}
    return out


def run_speed(*, out="benchmark_results", methods=None, threads=(1, 2),
              n_epochs=25, n_channels=64, sfreq=160.0, repeats=20,
              random_state=0, verbose=True):
    """Time every method side by side; print and save ``speed.{json,md}``.

    Parameters
    ----------
    out : path-like | None
        Output folder (None: write nothing).
    methods : dict | None
        Name -> ``f(info) -> denoiser``; None: :data:`SPEED_METHODS`.
    threads : tuple of int
        Torch CPU thread counts to time each method at.
    n_epochs, n_channels : int
        The random 2-s epochs (throughput on all, latency on one).
    sfreq : float
        Their rate (160 Hz, EEGMMIDB's).
    repeats : int
        See :func:`measure_transform_speed`.
    random_state : int
        Seed of the data.
    verbose : bool
        Print the table.

    Returns
    -------
    result : dict
        ``rows`` (method, threads, memory: ``"default"`` or ``"reused"``,
        and the figures of :func:`measure_transform_speed`) and the run's
        settings and hardware.
    """
    methods = SPEED_METHODS if methods is None else methods
    X, info = _random_epochs(n_epochs, n_channels, sfreq, random_state)
    fitted = {name: make(info).fit(X[:4]) for name, make in methods.items()}
    previous = torch.get_num_threads()
    rows = []
    try:
        for memory in ("default", "reused"):
            if memory == "reused" and not reuse_freed_memory():
                break  # not glibc: nothing to compare
            for n in threads:
                torch.set_num_threads(int(n))
                speed = measure_transform_speed(fitted, X, repeats=repeats)
                rows += [{"method": name, "threads": int(n), "memory": memory,
                          **figures} for name, figures in speed.items()]
    finally:
        torch.set_num_threads(previous)
    result = {"rows": rows, "n_epochs": n_epochs, "n_channels": n_channels,
              "sfreq": sfreq, "repeats": repeats,
              "hardware": f"{platform.machine()}, "
                          f"{torch.backends.cpu.get_cpu_capability()}, "
                          f"torch {torch.__version__}"}
    md = speed_table(result)
    if verbose:
        print(md)
    if out is not None:
        save_results(out, "speed", result, md, indent=1)
    return result


def speed_table(result):
    """Markdown table of :func:`run_speed`'s rows, one line per method.

    Parameters
    ----------
    result : dict
        What :func:`run_speed` returns.

    Returns
    -------
    markdown : str
    """
    keys = list(dict.fromkeys((r["threads"], r["memory"]) for r in result["rows"]))
    head = ["method"] + [f"{t} thr., {m} memory: latency (ms) / channel-win/s"
                         for t, m in keys]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by = {(r["method"], r["threads"], r["memory"]): r for r in result["rows"]}
    for name in dict.fromkeys(r["method"] for r in result["rows"]):
        cells = []
        for t, m in keys:
            r = by.get((name, t, m))
            cells.append("-" if r is None else
                         f"{r['latency_s'] * 1000:.1f} / "
                         f"{r['channel_windows_per_s']:,.0f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", f"One {result['n_channels']}-channel 2-s epoch at "
              f"{result['sfreq']:g} Hz through ``transform`` (median of "
              f"{result['repeats']} calls, the methods interleaved); "
              f"throughput on {result['n_epochs']} epochs; random data, "
              "each gate calibrated on it; "
              f"{result['hardware']}. 'reused' memory: after "
              "mne_denoise.utils.reuse_freed_memory()."]
    return "\n".join(lines)
