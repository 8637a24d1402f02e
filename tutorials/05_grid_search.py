"""
.. _tut-grid-search:

Tuning the denoiser with the decoder: grid search
=================================================

The denoiser's parameters are parameters of the whole pipeline, so
:class:`~sklearn.model_selection.GridSearchCV` can tune them together with the
decoder's, refitting everything, denoiser included, on every inner training
fold. In this tutorial you search the window overlap of
:class:`~mne_denoise.FreqDomainDenoiser` and the number of CSP components on
the motor-imagery data of :ref:`sphx_glr_auto_tutorials_04_decoding.py`, read
the results, and cache the denoiser's output so that changing only the
decoder's parameters does not denoise the same epochs again. It runs in
about a minute on a CPU.
"""

# License: BSD-3-Clause

# %%
# Data and pipeline
# -----------------
# As in the previous tutorial: EEGMMIDB subject 1, hands versus feet
# imagery, 1-Hz high-passed, the 21 sensorimotor channels; the pipeline
# denoises, band-passes to 7-30 Hz, then CSP + LDA.
from pathlib import Path
from tempfile import TemporaryDirectory

import mne
from mne.decoding import CSP
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as LDA
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from mne_denoise import BandpassDenoiser, FreqDomainDenoiser
from mne_denoise.datasets import load_motor_imagery

mne.set_log_level("WARNING")
epochs = load_motor_imagery(subject=1, runs=(6, 10, 14), l_freq=1.0,
                            h_freq=None, verbose=False)
epochs.pick([ch for ch in epochs.ch_names if ch.startswith(("FC", "C", "CP"))])
y = epochs.events[:, 2]

# %%
# The grid
# --------
# Parameters are addressed as ``<step>__<parameter>``. The window
# ``overlap`` trades time for smoother seams between the 2-s windows (0: no
# overlap, the fastest; 0.5: the default). On data with EOG/EMG channels,
# ``denoise__noise_estimate: ["reference", "blind"]`` would compare the two
# noise estimates the same way; EEGMMIDB has none, so it is left out.
#
# ``memory`` makes the pipeline cache each fitted step and its output on the
# training fold: candidates that differ only in CSP's parameters reuse the
# denoised training epochs instead of denoising them again.
cache = TemporaryDirectory()
pipe = Pipeline([
    ("denoise", FreqDomainDenoiser(random_state=0)),
    ("band", BandpassDenoiser(7.0, 30.0, info=epochs.info)),
    ("csp", CSP(n_components=6, log=True)),
    ("lda", LDA()),
], memory=cache.name)
param_grid = {
    "denoise__overlap": [0.0, 0.5],
    "csp__n_components": [4, 6],
}
grid = GridSearchCV(pipe, param_grid,
                    cv=StratifiedKFold(3, shuffle=True, random_state=0))
grid.fit(epochs, y)

# %%
# Results
# -------
# Mean and spread of the accuracy over the three inner folds, per candidate,
# and the mean time spent fitting (denoising the training fold is most of
# it; cached candidates skip it).
res = grid.cv_results_
print(f"{'overlap':>8} {'CSP comp.':>10} {'accuracy':>14} {'fit time (s)':>13}")
for k, params in enumerate(res["params"]):
    print(f"{params['denoise__overlap']:>8} {params['csp__n_components']:>10} "
          f"{res['mean_test_score'][k]:>8.3f} +/- {res['std_test_score'][k]:.2f}"
          f" {res['mean_fit_time'][k]:>13.1f}")
print("best:", grid.best_params_, f"accuracy {grid.best_score_:.3f}")

# %%
# ``grid.best_estimator_`` is the pipeline refitted on all epochs with the
# best parameters, ready to ``predict`` new epochs. With 45 epochs the inner
# folds are small, so candidates that score within one epoch of each other
# (0.07 here) are not really different.
print(grid.best_estimator_["denoise"])

# %%
# An unbiased estimate of the tuned pipeline
# ------------------------------------------
# ``grid.best_score_`` is optimistic: the same folds chose the parameters and
# scored them. For a score to report, nest the search in an outer
# cross-validation (five times the work, so not run here)::
#
#     from sklearn.model_selection import cross_val_score
#     outer = StratifiedKFold(5, shuffle=True, random_state=1)
#     scores = cross_val_score(grid, epochs, y, cv=outer)
#
# Training parameters can be searched the same way, e.g.
# ``{"denoise__max_epochs": [0, 3], "denoise__lr": [1e-3, 3e-3]}`` to ask
# whether fine-tuning on each training fold helps; each candidate then trains
# a network per fold, which is best done on a GPU (see
# :ref:`sphx_glr_auto_tutorials_06_training.py`).

cache.cleanup()
assert not Path(cache.name).exists()
