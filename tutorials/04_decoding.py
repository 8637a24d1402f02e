"""
.. _tut-decoding:

Denoising inside a cross-validated decoding pipeline
====================================================

A denoiser is a preprocessing step, and preprocessing that is fitted on all
the data before cross-validation leaks the test folds into training. In this
tutorial you put :class:`~mne_denoise.FreqDomainDenoiser` into a
scikit-learn :class:`~sklearn.pipeline.Pipeline` with a band-pass filter, CSP
and LDA, cross-validate it on real motor-imagery EEG (PhysioNet EEGMMIDB,
subject 1, imagined movements of both fists versus both feet), and compare
it with the same pipeline without the denoiser. Each fold fits the denoiser
on its training epochs only. It runs in about a minute on a CPU.
"""

# License: BSD-3-Clause

# %%
# Data
# ----
# :func:`~mne_denoise.datasets.load_motor_imagery` reads runs 6, 10 and 14 of
# subject 1 (64 EEG channels at 160 Hz), filters the continuous data and cuts
# the epochs 0.5 to 3.5 s after each cue. We ask for a 1-Hz high-pass only:
# the denoiser should see the broadband signal, and the 7-30 Hz band that
# CSP needs is taken *after* denoising, inside the pipeline. EEGMMIDB has no
# EOG or EMG channel, so the denoiser runs in blind mode.
#
# To keep the tutorial fast we keep the 21 channels over the sensorimotor
# cortex (``FC*``, ``C*``, ``CP*``), where the imagery-related rhythms are;
# with all 64 channels, denoising takes three times longer.
import matplotlib.pyplot as plt
import mne
import numpy as np
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline

from mne_denoise import BandpassDenoiser, FreqDomainDenoiser
from mne_denoise.datasets import load_motor_imagery

mne.set_log_level("WARNING")  # CSP and the filters are chatty
epochs = load_motor_imagery(subject=1, runs=(6, 10, 14), l_freq=1.0,
                            h_freq=None, verbose=False)
epochs.pick([ch for ch in epochs.ch_names if ch.startswith(("FC", "C", "CP"))])
y = epochs.events[:, 2]
print(epochs)

# %%
# Two pipelines
# -------------
# :class:`~mne_denoise.BandpassDenoiser` follows the same contract as the
# deep denoisers, which makes it a convenient band-pass step: Epochs in,
# Epochs out, and arrays described by ``info`` (inside cross-validation,
# scikit-learn hands each step the epochs of a fold as a list, and the
# denoiser passes a 3-D array on). CSP keeps six spatial filters, whose log
# variances LDA classifies.
band = dict(l_freq=7.0, h_freq=30.0, info=epochs.info)
pipelines = {
    "band-pass + CSP + LDA": Pipeline([
        ("band", BandpassDenoiser(**band)),
        ("csp", CSP(n_components=6, log=True)),
        ("lda", LDA()),
    ]),
    "FreqDomainDenoiser + band-pass + CSP + LDA": Pipeline([
        ("denoise", FreqDomainDenoiser(random_state=0)),
        ("band", BandpassDenoiser(**band)),
        ("csp", CSP(n_components=6, log=True)),
        ("lda", LDA()),
    ]),
}

# %%
# Cross-validation
# ----------------
# Five stratified folds, the same for both pipelines. ``cross_val_score``
# clones the pipeline for every fold and fits it, denoiser included, on the
# four training folds only; the held-out fold is only transformed. Passing
# the Epochs object itself is fine: the denoiser reads what scikit-learn's
# indexing makes of it.
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
scores = {}
for name, pipe in pipelines.items():
    scores[name] = cross_val_score(pipe, epochs, y, cv=cv)
    print(f"{name}: accuracy {scores[name].mean():.3f} "
          f"+/- {scores[name].std():.3f} (chance 0.5)")

# %%
# Fold by fold
# ------------
# With 45 epochs, each fold holds nine: one epoch is 0.11 of a fold's
# accuracy. Differences smaller than that spread say little about which
# preprocessing is better for this subject; see
# :ref:`sphx_glr_auto_tutorials_05_grid_search.py` for tuning, and
# :ref:`decoding-study` for every subject, with artifacts added, and every
# denoiser: there FreqDomainDenoiser leaves every subject's accuracy where
# it was, and the other deep denoisers (the U-Net most) lower some.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
folds = np.arange(1, cv.get_n_splits() + 1)
for k, (name, s) in enumerate(scores.items()):
    ax.plot(folds + 0.08 * (k - 0.5), s, "o", ms=7, label=name)
ax.axhline(0.5, color="0.5", ls="--", lw=0.8, label="chance")
ax.set(xlabel="fold", ylabel="accuracy", ylim=(0.3, 1.05), xticks=folds)
ax.legend(fontsize=8, loc="lower right")

# %%
# What not to do
# --------------
# Denoising all epochs first, then cross-validating only the decoder, gives
# the same numbers here, because the pretrained denoiser in blind mode
# learns nothing from the epochs it is fitted on. It stops being harmless as
# soon as the denoiser learns something in ``fit``: the reference
# coefficients in reference mode, a fine-tuned network (``max_epochs > 0``),
# or the components of :class:`~mne_denoise.ICADenoiser`. Keeping the
# denoiser inside the pipeline is correct in every case; see
# :ref:`cross-validation`.
