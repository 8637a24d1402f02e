# License: BSD-3-Clause
"""Long and live recordings: memory, throughput and streaming cost.

Measures what issue 13 sets as targets, on synthetic 64-channel recordings:

* the peak resident memory of ``FreqDomainDenoiser().apply(raw)`` over the
  import baseline, against the input plus the output plus 0.5 GB, for 4, 16
  and 60 minutes at 160 Hz and 60 minutes at 500 Hz;
* its throughput, side by side with the whole-recording path of an older
  checkout (``old=``, a ``git worktree`` of the commit before the block-wise
  path), on the lengths that path can hold in memory;
* the compute time of a 64-channel hop when streaming 1/32-s chunks through
  :class:`~mne_denoise.online.OnlineDenoiser` (flagship denoisers, CPU, one
  thread), and the resulting latency.

Every ``apply`` runs in a fresh subprocess (one torch thread), so that its
peak memory is its own: the peak (``VmHWM``) is reset after the recording is
made and the denoiser fitted (on the first minute), and read after ``apply``.
Writes ``long_recordings.json`` and ``long_recordings.md``.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from ._results import save_results

_GB = 1024**3

# The child: make a recording, fit on its first minute, reset the peak,
# apply, report. Imports only what the checkout it runs from provides.
_CHILD = r"""
import gc, json, os, sys, time
os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np, mne, torch
torch.set_num_threads(1)
import mne_denoise
from mne_denoise import FreqDomainDenoiser

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
mne.set_log_level("ERROR")
minutes, sfreq, n_ch = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
baseline = status("VmRSS")
n = int(minutes * 60 * sfreq)
rng = np.random.default_rng(0)
info = mne.create_info([f"EEG{i:03d}" for i in range(n_ch)], sfreq, "eeg")
data = np.empty((n_ch, n))
step = int(60 * sfreq)
t = np.arange(step) / sfreq
for a in range(0, n, step):  # EEG-like: noise and alpha, minute by minute
    m = min(step, n - a)
    data[:, a:a + m] = 1e-5 * (rng.standard_normal((n_ch, m))
                               + np.sin(2 * np.pi * 10 * t[:m]))
raw = mne.io.RawArray(data, info, verbose=False)
den = FreqDomainDenoiser(device="cpu").fit(
    mne.io.RawArray(data[:, :step], info, verbose=False))
gc.collect()
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:  # reset VmHWM to VmRSS
    f.write("5")
t0 = time.perf_counter()
clean = den.apply(raw)
elapsed = time.perf_counter() - t0
peak = status("VmHWM")
print(json.dumps({
    "module": mne_denoise.__file__, "minutes": minutes, "sfreq": sfreq,
    "n_channels": n_ch, "seconds": elapsed,
    "samples_per_s": n / elapsed, "baseline_gb": baseline / 2**30,
    "before_apply_gb": (before - baseline) / 2**30,
    "peak_over_baseline_gb": (peak - baseline) / 2**30,
    "input_gb": data.nbytes / 2**30, "output_gb": clean._data.nbytes / 2**30,
}))
"""


def _apply_in_subprocess(minutes, sfreq, n_channels, pythonpath=None,
                         timeout=3600):
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    # ``python -c`` puts the working folder first on sys.path: run from the
    # checkout to measure (the installed package otherwise).
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(minutes), str(sfreq), str(n_channels)],
        capture_output=True, text=True, env=env, timeout=timeout, check=False,
        cwd=str(pythonpath) if pythonpath is not None else None)
    if proc.returncode:
        return {"minutes": minutes, "sfreq": sfreq, "error":
                proc.stderr.strip().splitlines()[-1] if proc.stderr else
                f"exit status {proc.returncode}"}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    extra = result["peak_over_baseline_gb"] - result["input_gb"] \
        - result["output_gb"]
    result["extra_gb"] = extra
    result["meets_target"] = bool(extra <= 0.5)
    return result


def measure_streaming(*, n_channels=64, sfreq=160.0, seconds=40.0,
                      chunk=1 / 32, denoisers=("FreqDomainDenoiser",
                                               "LowRankUnfoldedDenoiser")):
    """Compute time per hop when streaming chunks through OnlineDenoiser.

    Parameters
    ----------
    n_channels, sfreq, seconds : int, float, float
        The synthetic stream.
    chunk : float
        Seconds per pushed chunk.
    denoisers : tuple of str
        Classes of :mod:`mne_denoise` to stream with (shipped weights, fitted
        on the stream's first 20 s).

    Returns
    -------
    results : list of dict
        Per denoiser: the delay, and the compute time of the pushes that
        ran a window (one 64-channel hop) and of the others.
    """
    import mne
    import torch

    import mne_denoise
    from mne_denoise.online import OnlineDenoiser

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    n = int(seconds * sfreq)
    t = np.arange(n) / sfreq
    data = 1e-5 * (rng.standard_normal((n_channels, n)) + np.sin(2 * np.pi * 10 * t))
    info = mne.create_info([f"EEG{i:03d}" for i in range(n_channels)], sfreq, "eeg")
    fit_raw = mne.io.RawArray(data[:, :int(20 * sfreq)], info, verbose=False)
    step = max(1, int(round(chunk * sfreq)))
    results = []
    for name in denoisers:
        den = getattr(mne_denoise, name)(device="cpu").fit(fit_raw)
        online = OnlineDenoiser(den)
        hops, others = [], []
        for a in range(0, n, step):
            k = online._stream._k if online._stream is not None else 0
            t0 = time.perf_counter()
            online.push(data[:, a:a + step])
            dt = time.perf_counter() - t0
            ran = online._stream is not None and online._stream._k > k
            (hops if ran else others).append(dt)
        # The first hop pays one-off costs (buffers, kernels): left out.
        hops = np.asarray(hops[1:]) * 1e3
        results.append({
            "denoiser": name, "n_channels": n_channels, "sfreq": sfreq,
            "chunk_samples": step, "delay_samples": online.delay,
            "latency_s": online.latency, "n_hops": len(hops),
            "hop_ms_median": float(np.median(hops)),
            "hop_ms_p95": float(np.percentile(hops, 95)),
            "hop_ms_max": float(hops.max()),
            "other_push_ms_mean": float(np.mean(others) * 1e3),
            "meets_20ms": bool(np.percentile(hops, 95) <= 20.0),
        })
    return results


def _markdown(res):
    lines = ["## Memory and throughput of `FreqDomainDenoiser().apply(raw)`",
             "", "64 channels, one torch thread; peak resident memory over "
             "the import baseline (GB); target: extra = peak - input - "
             "output <= 0.5 GB.", "",
             "| path | minutes | Hz | time (s) | samples/s | peak (GB) | input "
             "+ output (GB) | extra (GB) | target |",
             "|---|---|---|---|---|---|---|---|---|"]
    for path, rows in (("block-wise", res["apply"]), ("whole (old)",
                                                      res.get("apply_old", []))):
        for r in rows:
            if "error" in r:
                lines.append(f"| {path} | {r['minutes']:g} | {r['sfreq']:g} | "
                             f"failed: {r['error']} | | | | | |")
                continue
            io = r["input_gb"] + r["output_gb"]
            lines.append(
                f"| {path} | {r['minutes']:g} | {r['sfreq']:g} | "
                f"{r['seconds']:.1f} | {r['samples_per_s']:.0f} | "
                f"{r['peak_over_baseline_gb']:.2f} | {io:.2f} | "
                f"{r['extra_gb']:.2f} | {'met' if r['meets_target'] else 'missed'} |")
    lines += ["", "## Streaming (1/32-s chunks, CPU, one thread)", "",
              "| denoiser | channels | Hz | delay (s) | hop median (ms) | hop "
              "p95 (ms) | hop max (ms) | other pushes (ms) | <= 20 ms |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in res.get("streaming", []):
        lines.append(
            f"| {r['denoiser']} | {r['n_channels']} | {r['sfreq']:g} | "
            f"{r['latency_s']:.3f} | {r['hop_ms_median']:.1f} | "
            f"{r['hop_ms_p95']:.1f} | {r['hop_ms_max']:.1f} | "
            f"{r['other_push_ms_mean']:.2f} | "
            f"{'met' if r['meets_20ms'] else 'missed'} |")
    return "\n".join(lines) + "\n"


def run_long_recordings(*, out="long_recordings_results",
                        cases=((4, 160.0), (16, 160.0), (60, 160.0), (60, 500.0)),
                        old=None, old_cases=((4, 160.0), (16, 160.0)),
                        n_channels=64, streaming=True):
    """Measure memory, throughput and streaming cost; write JSON and markdown.

    Parameters
    ----------
    out : path-like
        Folder for ``long_recordings.json`` and ``long_recordings.md``.
    cases : tuple of (minutes, sfreq)
        Recordings cleaned by this checkout's (block-wise) ``apply``.
    old : path-like | None
        An older checkout (``git worktree add /tmp/old <commit>``) whose
        whole-recording ``apply`` runs side by side on ``old_cases``.
    old_cases : tuple of (minutes, sfreq)
        Recordings for the old path (it needs about 25 times the data's size).
    n_channels : int
        Channels of the synthetic recordings.
    streaming : bool
        Also measure :func:`measure_streaming`.

    Returns
    -------
    results : dict
        ``apply``, ``apply_old`` and ``streaming`` rows.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    res = {"apply": [_apply_in_subprocess(m, f, n_channels) for m, f in cases]}
    if old is not None:
        res["apply_old"] = [_apply_in_subprocess(m, f, n_channels, pythonpath=old)
                            for m, f in old_cases]
    if streaming:
        res["streaming"] = measure_streaming(n_channels=n_channels)
    md = _markdown(res)
    save_results(out, "long_recordings", res, md)
    print(md)
    return res


if __name__ == "__main__":  # python -m mne_denoise.studies.long_recordings
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="long_recordings_results")
    parser.add_argument("--old", default=None,
                        help="Older checkout for the whole-recording path.")
    parser.add_argument("--quick", action="store_true",
                        help="1- and 2-minute recordings only.")
    args = parser.parse_args()
    kw = {}
    if args.quick:
        kw = dict(cases=((1, 160.0), (2, 500.0)), old_cases=((1, 160.0),))
    run_long_recordings(out=args.out, old=args.old, **kw)
