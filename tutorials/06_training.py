"""
.. _tut-training:

Fine-tuning on your own recording (and training on a GPU)
=========================================================

The shipped weights were trained on other people's recordings. In this
tutorial you fine-tune :class:`~mne_denoise.FreqDomainDenoiser` on the first
three minutes of a recording, with its own EOG channels as the source of
ocular artifacts, follow the training and validation loss, and measure on the
last minute, held out, whether fine-tuning helped: on semi-synthetic pairs
built from that minute with the benchmark's protocol. A final section shows
the same training on a GPU. On a CPU, two training epochs take well under a
minute; real training wants more epochs, and a GPU.
"""

# License: BSD-3-Clause

# %%
# A recording, split in time
# --------------------------
# The EEGLAB sample (30 EEG channels, two EOG channels, 128 Hz, 238 s). The
# epochs that start in the first 180 s train; the last 58 s are held out for
# the evaluation. Splitting in time (rather than drawing epochs at random)
# keeps neighbouring, correlated data out of the test set.
from pathlib import Path
from tempfile import TemporaryDirectory

import matplotlib.pyplot as plt
import mne
import numpy as np
import torch

from mne_denoise import FreqDomainDenoiser
from mne_denoise.datasets import (
    artifact_bank_from_mne,
    clean_bank_from_mne,
    read_eeglab_sample,
)
from mne_denoise.studies.benchmark import evaluate
from mne_denoise.viz import plot_benchmark, plot_overlay

raw = read_eeglab_sample(verbose=False)
split_s = 180.0
events, event_id = mne.events_from_annotations(raw, event_id={"square": 1},
                                               verbose=False)
epochs = mne.Epochs(raw, events, event_id, tmin=-1.0,
                    tmax=2.0 - 1.0 / raw.info["sfreq"], baseline=None,
                    preload=True, verbose=False)
# Epochs that end before the split train; the rest of the recording is held out.
epochs_train = epochs[epochs.events[:, 0] / raw.info["sfreq"] + 2.0 < split_s]
raw_test = raw.copy().crop(tmin=split_s)
print(f"{len(epochs_train)} training epochs, {raw_test.times[-1]:.0f} s held out")

# %%
# Fine-tune inside ``fit``
# ------------------------
# With ``max_epochs > 0``, ``fit`` trains. Each training epoch draws fresh
# semi-synthetic pairs: the clean EEG windows of ``epochs_train`` (2 s at
# 256 Hz, the most contaminated fifth rejected) plus the windows of its EOG
# channels, band-limited to 0.3-10 Hz, at SNRs between -7 and 4 dB. A tenth
# of the clean windows is held out for skorch's validation loss, and
# ``verbose=True`` prints the table. ``weights="pretrained"`` (the default)
# makes this fine-tuning; ``weights=None`` would train from scratch.
den_ft = FreqDomainDenoiser(max_epochs=2, lr=1e-3, verbose=True,
                            random_state=0)
den_ft.fit(epochs_train)

# %%
# The history is skorch's (``den_ft.net_.history``):
history = den_ft.net_.history
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
ax.plot(history[:, "epoch"], history[:, "train_loss"], "o-", label="training")
ax.plot(history[:, "epoch"], history[:, "valid_loss"], "o-", label="validation")
ax.set(xlabel="epoch", ylabel="loss", xticks=history[:, "epoch"])
ax.legend()

# %%
# Held-out test: semi-synthetic pairs from the last minute
# --------------------------------------------------------
# Real data have no ground truth, so we test the way the benchmark does: cut
# the held-out minute into clean EEG windows and EOG windows, mix them at
# known SNRs, and measure how well each denoiser recovers the clean windows
# (:func:`mne_denoise.studies.benchmark.evaluate`). The "clean" windows are real EEG
# with its most contaminated fifth rejected, so they are not perfectly
# clean; the comparison is still fair, as both denoisers get the same pairs.
clean_test = clean_bank_from_mne(raw_test).data
eog_test = artifact_bank_from_mne(raw_test, kind="eog").data
# Keep the EOG windows with eye movements (the larger half): a quiet EOG
# window scaled up to a target SNR is amplifier noise, not an artifact.
ptp = np.ptp(eog_test, axis=1)
eog_test = eog_test[ptp >= np.median(ptp)]
print(f"{len(clean_test)} clean and {len(eog_test)} EOG test windows")

# %%
# The evaluated methods take standardized single-channel windows. Blind mode
# makes the comparison about the network alone. To load the fine-tuned
# network into a denoiser for these windows, write it as a weights file, the
# format ``weights=`` reads (the same as the shipped ``.pt`` files).
tmp = TemporaryDirectory()
finetuned = Path(tmp.name) / "freq_domain_finetuned.pt"
torch.save({"state_dict": den_ft.net_.module_.state_dict(),
            "module_params": den_ft.module_params_,
            "meta": {"note": "fine-tuned on the EEGLAB sample, 2 epochs"}},
           finetuned)


def blind(weights):
    """A benchmark method: FreqDomainDenoiser with these weights, blind."""
    def run(noisy, reference, kind, sfreq):
        den = FreqDomainDenoiser(sfreq=sfreq, noise_estimate="blind",
                                 weights=weights)
        return den.fit(noisy[:1]).transform(noisy)
    return run


methods = {
    "No denoising": lambda noisy, reference, kind, sfreq: noisy,
    "pretrained": blind("pretrained"),
    "fine-tuned": blind(str(finetuned)),
}
rows = evaluate(methods, clean_test, {"eog": eog_test},
                snrs=(-7.0, -4.0, -1.0, 2.0), random_state=0)
for r in rows:
    print(f"{r['method']:>13} {r['snr']:>5.0f} dB  RRMSE_t {r['rrmse_t']:.3f}  "
          f"CC {r['cc']:.3f}")
plot_benchmark(rows, metric="rrmse_t")

# %%
# And on the held-out epochs themselves, in reference mode, the pretrained
# and the fine-tuned denoiser side by side:
epochs_test = epochs[epochs.events[:, 0] / raw.info["sfreq"] - 1.0 >= split_s]
den_pre = FreqDomainDenoiser().fit(epochs_train)
plot_overlay(epochs_test, {"pretrained": den_pre.transform(epochs_test),
                           "fine-tuned": den_ft.transform(epochs_test)},
             picks=["FPz", "Fz", "Cz"], show_removed=False)
tmp.cleanup()

# %%
# Your own clean and artifact segments
# ------------------------------------
# ``fit`` also takes the training material explicitly: ``clean_bank=`` (clean
# EEG segments, 2 s at 256 Hz) and ``artifact_bank=`` (one bank per artifact
# type), e.g. from other recordings of your lab. The banks come from
# :mod:`mne_denoise.datasets`::
#
#     from mne_denoise.datasets import (artifact_bank_from_mne,
#                                       clean_bank_from_mne)
#
#     clean = clean_bank_from_mne(raw_resting)          # or make_clean_bank()
#     eog = artifact_bank_from_mne(raw_with_eog, kind="eog")
#     emg = artifact_bank_from_mne(raw_with_emg, kind="emg")
#     den = FreqDomainDenoiser(max_epochs=20).fit(
#         epochs, clean_bank=clean, artifact_bank=[eog, emg])
#
# On a GPU
# --------
# Nothing changes but the speed: ``device="auto"`` (the default) trains on
# CUDA when PyTorch sees a GPU. With the time a GPU saves, train longer and
# with larger batches; the result can be saved and read on a CPU. This cell
# only runs where a GPU is present (it is skipped when this page is built).
if torch.cuda.is_available():
    den_gpu = FreqDomainDenoiser(max_epochs=30, batch_size=256, device="cuda",
                                 verbose=True, random_state=0)
    den_gpu.fit(epochs_train)
    print("trained on", den_gpu.device_)

# %%
# To train the shipped weights themselves on the shared recordings, use the
# command line (``--device cuda`` on a GPU node)::
#
#     mne-denoise train freq_domain --max-epochs 40 --device cuda
#
# See :ref:`training` for the details, and :ref:`model-cards` for what the
# shipped weights were trained on.
