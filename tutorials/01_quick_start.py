"""
.. _tut-quick-start:

Quick start: clean Epochs with the pretrained denoiser
======================================================

In this tutorial you load a real EEG recording with two EOG electrodes, epoch
it, clean the EEG channels with the pretrained
:class:`~mne_denoise.FreqDomainDenoiser` in one line, and check the result
the way you would on your own data: traces before and after, power spectra
before and after, and how much of the EOG is left in the EEG. At the end, the
same denoiser cleans the continuous recording with ``apply``. It runs in well
under a minute on a laptop CPU; no training is involved.
"""

# License: BSD-3-Clause

# %%
# Load and epoch the EEGLAB sample
# --------------------------------
# The EEGLAB tutorial data set (Makeig et al., 1999) has 30 EEG channels and
# two real EOG electrodes, ``EOG1`` and ``EOG2``, at 128 Hz.
# :func:`~mne_denoise.datasets.read_eeglab_sample` types them as ``eog``, which
# is all the denoiser needs to use them as noise references. (The tutorials
# read the shared recordings next to the repository; on your machine, point
# ``MNE_DENOISE_SHARED`` at that folder, or use your own data.)
#
# The file was assembled from 3-s epochs around the ``square`` stimuli; we cut
# the same 3-s epochs, so that none straddles a splice.
import mne
import numpy as np

from mne_denoise import FreqDomainDenoiser
from mne_denoise.datasets import read_eeglab_sample
from mne_denoise.viz import plot_overlay, plot_psd_comparison

raw = read_eeglab_sample(verbose=False)
events, event_id = mne.events_from_annotations(raw, event_id={"square": 1},
                                               verbose=False)
sfreq = raw.info["sfreq"]
epochs = mne.Epochs(raw, events, event_id, tmin=-1.0, tmax=2.0 - 1.0 / sfreq,
                    baseline=None, preload=True, verbose=False)
print(epochs)
print("channel types:", {t: epochs.get_channel_types().count(t)
                         for t in ("eeg", "eog")})

# %%
# Clean the epochs: one line
# --------------------------
# ``fit`` loads the shipped weights (``max_epochs=0``: nothing is trained)
# and, because there are EOG channels, estimates each EEG channel's share of
# them by least squares (reference mode); ``transform`` cleans the EEG
# channels and returns new Epochs. The EOG channels pass through unchanged.
# The data are resampled to the model's 256 Hz and cut into 2-s windows with
# 50 % overlap internally; the output is at the input's 128 Hz again.
den = FreqDomainDenoiser(random_state=0)
epochs_clean = den.fit_transform(epochs)
print("noise estimate used:", den.noise_estimate_)
print(epochs_clean)

# %%
# Before and after, in time
# -------------------------
# :func:`~mne_denoise.viz.plot_overlay` draws the input (grey), the output
# (blue) and what was removed (dotted), for the epoch where the denoiser
# changed most. Frontal channels (``FPz``, ``F3``, ``Fz``, ``F4``) carry the
# blinks; ``Oz`` at the back of the head carries little ocular activity.
plot_overlay(epochs, epochs_clean, picks=["FPz", "F3", "Fz", "F4", "Oz"])

# %%
# Before and after, in frequency
# ------------------------------
# :func:`~mne_denoise.viz.plot_psd_comparison` uses the protocol's Welch
# estimator (the one behind RRMSE_s). The right panel is the change in power
# per frequency: below 0 dB the denoiser removed power (the line is the mean
# over channels, the band spans the 10th to 90th percentiles). Ocular
# artifacts live mostly below 10 Hz, so that is where removal is expected.
# The same weights also remove muscle activity, which is broadband and
# strongest above 20 Hz, so power removed there is what the network took for
# muscle noise: worth checking on your own data, e.g. on channels far from
# the face, before trusting high-frequency results.
plot_psd_comparison(epochs, epochs_clean, fmax=60.0)

# %%
# How much EOG is left in the EEG?
# --------------------------------
# Real recordings have no ground truth, but one proxy is cheap: the fraction
# of each EEG channel's variance that a linear regression on the two EOG
# channels explains (R²). An ocular artifact that was removed no longer
# covaries with the EOG. (Brain activity that the EOG electrodes pick up also
# contributes, so R² does not go to zero even for perfect cleaning.)


def eog_r2(ep):
    """R² of every EEG channel regressed on the EOG channels, over all epochs."""
    eeg = ep.get_data(picks="eeg")
    eog = ep.get_data(picks="eog")
    eeg = (eeg - eeg.mean(-1, keepdims=True)).transpose(1, 0, 2).reshape(
        eeg.shape[1], -1)
    eog = (eog - eog.mean(-1, keepdims=True)).transpose(1, 0, 2).reshape(
        eog.shape[1], -1)
    coef, *_ = np.linalg.lstsq(eog.T, eeg.T, rcond=None)
    resid = eeg - coef.T @ eog
    return 1.0 - resid.var(axis=1) / eeg.var(axis=1)


names = [epochs.ch_names[i] for i in mne.pick_types(epochs.info, eeg=True)]
r2_before, r2_after = eog_r2(epochs), eog_r2(epochs_clean)
print(f"{'channel':>8} {'R² before':>10} {'R² after':>10}")
for ch in ["FPz", "F3", "Fz", "F4", "Cz", "Pz", "Oz"]:
    i = names.index(ch)
    print(f"{ch:>8} {r2_before[i]:>10.3f} {r2_after[i]:>10.3f}")
print(f"{'mean':>8} {r2_before.mean():>10.3f} {r2_after.mean():>10.3f}")

# %%
# Continuous data: ``apply``
# --------------------------
# A fitted denoiser cleans Raw (and Evoked) data too: ``apply`` returns a
# cleaned copy of the same kind, processing the whole recording in
# overlapping 2-s windows with overlap-add. Here, the first 60 s.
raw_60 = raw.copy().crop(0.0, 60.0)
raw_clean = den.apply(raw_60)
plot_overlay(raw_60, raw_clean, picks=["FPz", "Fz", "Cz"],
             title="Continuous data, the 10 s around the largest change")

# %%
# Next steps
# ----------
# * :ref:`sphx_glr_auto_tutorials_02_freq_domain_in_depth.py`: reference
#   channels versus the learned noise estimate, and the filters the network
#   computes.
# * :ref:`sphx_glr_auto_tutorials_04_decoding.py`: the denoiser inside a
#   cross-validated decoding pipeline.
# * :ref:`estimator-contract` explains the inputs, the channel roles and the
#   windowing in detail.
