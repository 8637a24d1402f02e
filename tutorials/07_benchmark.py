"""
.. _tut-benchmark:

Reproducing the benchmark
=========================

The numbers on the :ref:`benchmark` page come from one function,
:func:`mne_denoise.studies.benchmark.run_benchmark` (the ``mne-denoise benchmark``
command). In this tutorial you run it on a small subset of the held-out test
pools, read its report, plot RRMSE_t and the correlation against SNR with
:func:`~mne_denoise.viz.plot_benchmark`, and add a method of your own to the
comparison. The full run trains ten networks for five minutes each; this one
gives each five seconds and takes about two minutes.
"""

# License: BSD-3-Clause

# %%
# A quick run
# -----------
# ``run_benchmark`` builds the clean, EOG and EMG pools from the shared
# recordings, split by recording (:func:`~mne_denoise.datasets.make_benchmark_pools`),
# takes their **test** parts (no training used them), mixes every clean
# segment with an artifact at each SNR from -7 to 2 dB (EEGdenoiseNet's
# ``10 * log10`` RMS-ratio convention, see :ref:`protocol`), and scores each
# method, for EOG, EMG and both mixed. Every network of the model zoo, and
# FreqDomainDenoiser and LowRankUnfoldedDenoiser from random weights (the
# ``budget`` rows), is trained on the training pools for the same number of
# seconds, ``zoo_budget_s``; the shipped weights are scored as well.
# ``max_segments=40`` caps each test pool at 40 segments and five seconds of
# training teach the networks little, so the numbers below only show that
# everything runs. The report is printed and saved as ``benchmark.md``,
# ``benchmark.json`` and the per-SNR figure ``benchmark_rrmse_t.png`` in
# ``out``.
from pathlib import Path
from tempfile import TemporaryDirectory

import mne

from mne_denoise.datasets import make_benchmark_pools
from mne_denoise.studies.benchmark import evaluate, run_benchmark
from mne_denoise.studies.methods import default_methods
from mne_denoise.viz import plot_benchmark

tmp = TemporaryDirectory()
report = run_benchmark(out=tmp.name, quick=True, max_segments=40,
                       zoo_budget_s=5, random_state=0)

# %%
# The report
# ----------
# ``report["rows"]`` holds one row per method, artifact type and SNR, and
# ``report["summary"]`` the means over SNRs; ``report["costs"]`` each
# method's parameter count, training record and speed. ``benchmark.json``
# holds all of them.
print(sorted(report))
print(report["rows"][0])
print(sorted(p.name for p in Path(tmp.name).iterdir()))

# %%
# RRMSE_t against SNR
# -------------------
# The relative error of the denoised segment (lower is better). Without
# denoising it is ``10 ** (-SNR / 10)`` by construction (5.0 at -7 dB): the
# artifact is that much larger than the EEG. The reference-based methods
# receive a reference channel that carries the artifact plus unrelated brain
# activity at half the EEG's amplitude, so a regression removes the artifact
# but adds that activity back: its error levels off instead of reaching 0.
plot_benchmark(report, metric="rrmse_t")

# %%
# Correlation with the clean EEG
# ------------------------------
# The same runs, scored by the correlation coefficient (higher is better).
# ``plot_benchmark`` also reads the saved JSON, here for a subset of methods.
plot_benchmark(Path(tmp.name) / "benchmark.json", metric="cc",
               methods=["No denoising", "Band-pass 1-40 Hz",
                        "FreqDomainDenoiser (blind)"])

# %%
# Adding your own method
# ----------------------
# A method is a function ``f(noisy, reference, kind, sfreq) -> denoised`` on
# standardized single-channel segments ``(n, n_times)``. Here, a narrower
# band-pass filter, next to two of the default methods, on the same test
# pools (built again with the same seed) and a coarser SNR grid.
mne.set_log_level("WARNING")


def bandpass_1_30(noisy, reference, kind, sfreq):
    return mne.filter.filter_data(noisy, sfreq, 1.0, 30.0, method="iir")


defaults = default_methods()
methods = {"No denoising": defaults["No denoising"],
           "Band-pass 1-40 Hz": defaults["Band-pass 1-40 Hz"],
           "Band-pass 1-30 Hz": bandpass_1_30}
pools = make_benchmark_pools(random_state=0)
clean = pools["eeg"][2].data[:40]
artifacts = {kind: pools[kind][2].data[:40] for kind in ("eog", "emg")}
rows = evaluate(methods, clean, artifacts, snrs=(-7.0, -4.0, -1.0, 2.0))
plot_benchmark(rows, metric="rrmse_t")
tmp.cleanup()

# %%
# The full benchmark
# ------------------
# From a shell, on all test segments, with the default training budget of
# 300 s per network (``--zoo-budget-s`` changes it, ``--device cuda`` trains
# on a GPU, ``--threads`` sets torch's CPU threads)::
#
#     mne-denoise benchmark --out benchmark_results
#
# It writes ``benchmark_results/benchmark.md``, ``benchmark.json`` and
# ``benchmark_rrmse_t.png``; when
# they exist at build time, the :ref:`benchmark` page of this documentation
# shows them.
