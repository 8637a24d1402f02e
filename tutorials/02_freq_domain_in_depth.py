"""
.. _tut-freq-domain:

FreqDomainDenoiser in depth: noise estimates and learned filters
================================================================

:class:`~mne_denoise.FreqDomainDenoiser` does not apply one fixed filter: for
every 0.5-s frame of every 2-s window, its network reads the spectrum of the
noise and of the noisy signal and *computes* the filters it then applies
(the frames are overlap-added, so the filters follow a blink in time). In
this tutorial you compare the two sources of the noise spectrum, the EOG
reference channels (reference mode) and the network's own estimate from the
EEG alone (blind mode), look at what each EEG channel takes from the
references, and plot the frequency responses of the filters computed for a
window with a blink and for a quiet one. It runs in about a minute on a CPU.
"""

# License: BSD-3-Clause

# %%
# Data: the EEGLAB sample, epoched
# --------------------------------
# As in :ref:`sphx_glr_auto_tutorials_01_quick_start.py`: 30 EEG channels and
# two EOG electrodes at 128 Hz, 80 epochs of 3 s.
import matplotlib.pyplot as plt
import mne
import numpy as np
import torch

from mne_denoise import FreqDomainDenoiser, RegressionDenoiser
from mne_denoise.datasets import read_eeglab_sample
from mne_denoise.viz import (
    plot_filter_responses,
    plot_overlay,
    plot_psd_comparison,
)

raw = read_eeglab_sample(verbose=False)
events, event_id = mne.events_from_annotations(raw, event_id={"square": 1},
                                               verbose=False)
epochs = mne.Epochs(raw, events, event_id, tmin=-1.0,
                    tmax=2.0 - 1.0 / raw.info["sfreq"], baseline=None,
                    preload=True, verbose=False)

# %%
# Two denoisers, two noise estimates
# ----------------------------------
# ``noise_estimate="reference"`` insists on the EOG/EMG channels (an error
# without any); ``"blind"`` ignores them and lets a small network predict the
# noise spectrum from the noisy EEG; ``"auto"``, the default, uses the
# references when there are some. Both use the same shipped weights: the
# network was trained in both modes at once.
den_ref = FreqDomainDenoiser(noise_estimate="reference").fit(epochs)
den_blind = FreqDomainDenoiser(noise_estimate="blind").fit(epochs)
print(den_ref.noise_estimate_, den_blind.noise_estimate_)

# %%
# What each EEG channel takes from the references
# -----------------------------------------------
# In reference mode, ``fit`` estimates by least squares how much of each
# reference every EEG channel holds, ``reference_coef_`` (shape
# ``(n_eeg, n_refs)``), as an EOG regression would. ``transform`` subtracts
# each channel's share of the references' waveform first, and the network
# then corrects what remains, blind. The shares are largest at the front of
# the head, as expected of ocular activity. The two EOG electrodes record
# much the same eye movements, so least squares may split a channel's share
# between them with opposite signs; the sum is what is subtracted.
eeg_info = mne.pick_info(epochs.info, mne.pick_types(epochs.info, eeg=True))
ref_names = [epochs.ch_names[i] for i in den_ref.ref_idx_]
fig, axes = plt.subplots(1, len(ref_names), figsize=(3.2 * len(ref_names), 3),
                         layout="constrained")
for ax, name, coef in zip(axes, ref_names, den_ref.reference_coef_.T,
                          strict=True):
    mne.viz.plot_topomap(coef, eeg_info, axes=ax, show=False, cmap="RdBu_r")
    ax.set_title(f"share of {name}")

# %%
# ``reference_regression="frequency"`` estimates the share per frequency
# instead (frequency-domain regression; the same filters as
# :class:`~mne_denoise.RegressionDenoiser` with ``domain="frequency"``,
# drawn here): for the most frontal channel, the gain of its filter for
# each EOG channel, against that channel's least-squares share (dashed).
# Each gain is capped at its least-squares share, so that brain activity
# the EOG channels share with the EEG is not removed more than least
# squares removes it; below the cap, the transfer takes less of a reference
# where it holds little of what reaches the EEG.
freq_reg = RegressionDenoiser(domain="frequency").fit(epochs)
fpz = [epochs.ch_names[i] for i in freq_reg.clean_idx_].index("FPz")
freqs = np.fft.rfftfreq(freq_reg.transfer_.shape[-1], 1.0 / epochs.info["sfreq"])
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
for r, name in enumerate(freq_reg.artifact_names_):
    line, = ax.plot(freqs, np.abs(np.fft.rfft(freq_reg.transfer_[fpz, r])),
                    label=f"{name}, per frequency")
    ax.axhline(abs(freq_reg.coef_[fpz, r]), color=line.get_color(), ls="--",
               label=f"{name}, least squares")
ax.set(xlabel="Frequency (Hz)", ylabel="share of the reference", xlim=(0, 40),
       title="FPz")
ax.legend(fontsize="small")

# %%
# The two modes on the epoch with the largest blink
# -------------------------------------------------
# We pick the epoch where ``EOG1`` has the largest peak-to-peak amplitude, and
# a quiet one, where it has the smallest.
eog = epochs.get_data(picks="EOG1")[:, 0]
ptp = eog.max(axis=1) - eog.min(axis=1)
blink, quiet = int(np.argmax(ptp)), int(np.argmin(ptp))
print(f"blink epoch {blink}: EOG1 peak-to-peak {ptp[blink] * 1e6:.0f} µV; "
      f"quiet epoch {quiet}: {ptp[quiet] * 1e6:.0f} µV")

cleaned = {"reference mode": den_ref.transform(epochs),
           "blind mode": den_blind.transform(epochs)}
plot_overlay(epochs, cleaned, picks=["FPz", "F3", "Fz", "Cz"], epoch=blink,
             show_removed=False)

# %%
# And over all epochs, in frequency:
plot_psd_comparison(epochs, cleaned, fmax=60.0)

# %%
# Detect, then correct
# --------------------
# Both denoisers correct a window only where their artifact detector,
# calibrated in ``fit`` on this recording, flags one (``threshold``, 0.5 by
# default). :meth:`~mne_denoise.FreqDomainDenoiser.artifact_scores` shows the
# decisions, per epoch, EEG channel and 2-s window: here the share of the
# correction let through, on the blink epoch and on the quiet one, in blind
# mode.
scores = den_blind.artifact_scores(epochs)
gates = scores["gate"][:, :, 0]  # one window per 2-s epoch
fig, ax = plt.subplots(figsize=(8, 2.5), layout="constrained")
ax.bar(np.arange(len(scores["ch_names"])) - 0.2, gates[blink], 0.4,
       label=f"blink epoch {blink}")
ax.bar(np.arange(len(scores["ch_names"])) + 0.2, gates[quiet], 0.4,
       label=f"quiet epoch {quiet}")
ax.set_xticks(np.arange(len(scores["ch_names"])), scores["ch_names"],
              rotation=90, fontsize=6)
ax.set_ylabel("gate")
ax.legend(fontsize=8)

# %%
# The filters, window by window
# -----------------------------
# :func:`~mne_denoise.viz.plot_filter_responses` runs the network's kernel
# evaluators on the windows that ``transform`` makes of one channel of one
# epoch (resampled to 256 Hz, 2-s windows, standardized) and shows:
#
# * top, the spectra the evaluators read: the noisy signal and the learned
#   noise estimate, in dB of the standardized window (in reference mode, of
#   the EEG minus the regressed references, which is what the network is
#   given);
# * below, one panel per convolution step of the network (``channels=(4, 4)``
#   in ``module_params_`` means three steps, 1 -> 4 -> 4 -> 1 channels): the
#   magnitude response of every filter of that step, averaged over the
#   frames (``frame=128``: 0.5-s frames, so 2-Hz resolution) and windows.
#
# The network applies an ELU between steps, so the cascade is not simply the
# product of these responses; still, they show which frequency bands each
# step passes or suppresses, and how that changes with the noise spectrum.
# First the blink epoch in reference mode:
print(den_ref.module_params_)
plot_filter_responses(den_ref, epochs, picks="FPz", epoch=blink)

# %%
# The same window in blind mode: the network now sees the blink itself, so
# its noise estimate and filters differ from those on the regressed EEG.
plot_filter_responses(den_blind, epochs, picks="FPz", epoch=blink)

# %%
# And the quiet epoch in reference mode: with little left to remove, the
# network computes other filters than for the blink.
plot_filter_responses(den_ref, epochs, picks="FPz", epoch=quiet)

# %%
# The same filters as tensors
# ---------------------------
# For your own analyses, :meth:`mne_denoise.nn.FreqDomainNet.filters` returns
# the filters for a batch of standardized windows ``(batch, 1, 512)`` (and
# optional noise references of the same shape), without applying them: one
# tensor ``(batch * n_frames, c_out, c_in, frame)`` per step (9 frames of 128
# samples per window), zero lag in the middle, and the spectra they were
# computed from.
net = den_ref.net_.module_.eval()
x = torch.randn(2, 1, 512)
with torch.no_grad():
    filters, spectra = net.filters(x)
print([tuple(f.shape) for f in filters], tuple(spectra.shape))
