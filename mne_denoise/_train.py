# License: BSD-3-Clause
"""``mne-denoise train``: train a shipped model and write its model card."""

import platform
import time
from pathlib import Path

import numpy as np

from ._protocol import MODEL_N_TIMES, MODEL_SFREQ, TEST_SNR_GRID, TRAIN_SNR_RANGE


def _hardware(device):
    import torch

    if str(device).startswith("cuda"):
        return torch.cuda.get_device_name(0)
    return (f"CPU ({platform.processor() or platform.machine()}, "
            f"{torch.get_num_threads()} torch threads)")


def train_freq_domain(*, out=None, max_epochs=40, batch_size=64, lr=2e-3,
                      pairs_per_epoch=None, clean_probability=0.0,
                      data=None, quick=False, device="auto",
                      random_state=0, module_params=None):
    """Train FreqDomainDenoiser's shipped weights and write the model card.

    The pools come from :func:`mne_denoise.datasets.make_benchmark_pools`
    (real recordings, split by recording with seed 0): the training split
    trains, the validation split picks the best epoch, and the test split is
    evaluated for the card (the benchmark uses the same test split).

    Parameters
    ----------
    out : path-like | None
        Folder for ``freq_domain.pt`` and ``freq_domain.md`` (default: the
        package's ``weights`` folder).
    max_epochs, batch_size, lr : int, int, float
        Training budget (AdaMax).
    pairs_per_epoch : int | None
        Semi-synthetic pairs per epoch (default: one per clean segment).
    clean_probability : float
        Share of artifact-free pairs (input = target), so that the network
        learns to leave clean EEG alone.
    data : path-like | None
        Folder of the shared recordings.
    quick : bool
        Two epochs on a few hundred segments, to check the command.
    device : str
        ``'auto'``, ``'cpu'`` or ``'cuda'``.
    random_state : int
        Seed of weights, draws and shuffling.
    module_params : dict | None
        Network arguments overriding FreqDomainDenoiser's defaults.
    """
    import torch
    from skorch.callbacks import LRScheduler
    from torch.optim.lr_scheduler import CosineAnnealingLR

    from .benchmark import evaluate, markdown_tables, summarize
    from .denoisers import FreqDomainDenoiser
    from .nn import DenoisingLoss, FreqDomainNet
    from .nn._skorch import KeepBest, resolve_device, seed_torch, train_network

    out = Path(out) if out is not None else Path(__file__).parent / "weights"
    out.mkdir(parents=True, exist_ok=True)
    device = resolve_device(device)
    if quick:
        max_epochs = min(max_epochs, 2)
    pools, (clean_tr, clean_va, clean_te), arts, _ = _load_pools(
        data, quick, random_state, max_valid=2000)

    module_params = {**FreqDomainDenoiser._default_module_params,
                     **(module_params or {})}
    seed_torch(random_state)
    t0 = time.perf_counter()
    net = train_network(
        FreqDomainNet, {"n_times": MODEL_N_TIMES, **module_params}, DenoisingLoss,
        clean_tr, [arts["eog"][0], arts["emg"][0]],
        clean_valid=clean_va, artifacts_valid=[arts["eog"][1], arts["emg"][1]],
        snr_range=TRAIN_SNR_RANGE, lr=lr, batch_size=batch_size,
        max_epochs=max_epochs, device=device, seed=random_state,
        n_items=pairs_per_epoch, verbose=1, clean_probability=clean_probability,
        callbacks=[("keep_best", KeepBest()),
                   ("lr_schedule", LRScheduler(policy=CosineAnnealingLR,
                                               T_max=max(max_epochs, 1)))],
    )
    train_seconds = time.perf_counter() - t0
    state = {k: v.detach().cpu() for k, v in net.module_.state_dict().items()}
    n_params = int(sum(v.numel() for v in net.module_.parameters()))
    valid_losses = [h.get("valid_loss") for h in net.history]
    meta = {
        "model": "freq_domain",
        "train_seconds": float(train_seconds),
        "hardware": _hardware(device),
        "device": device,
        "max_epochs": int(max_epochs),
        "epochs_run": len(net.history),
        "best_valid_loss": float(np.nanmin([v for v in valid_losses if v is not None]))
        if any(v is not None for v in valid_losses) else None,
        "batch_size": int(batch_size),
        "lr": float(lr),
        "seed": int(random_state),
        "clean_probability": float(clean_probability),
        "n_params": n_params,
        "n_train": {"eeg": len(clean_tr), "eog": len(arts["eog"][0]),
                    "emg": len(arts["emg"][0])},
        "sources": {k: list(pools[k][0].sources) for k in ("eeg", "eog", "emg")},
        "quick": bool(quick),
        "torch": str(torch.__version__),
    }
    weights = out / "freq_domain.pt"
    torch.save({"state_dict": state, "module_params": module_params,
                "meta": meta}, weights)
    print(f"Wrote {weights} ({weights.stat().st_size / 1e6:.2f} MB, "
          f"{n_params} parameters, {train_seconds:.0f} s).")

    # Held-out figures for the card, with the freshly written weights.
    from .benchmark import default_methods

    methods = default_methods(device=device, weights=str(weights))
    methods = {k: v for k, v in methods.items() if "FreqDomain" in k
               or k == "No denoising"}
    rows = evaluate(methods, clean_te, {"eog": arts["eog"][2],
                                        "emg": arts["emg"][2]})
    card = _model_card(meta, pools, rows, summarize(rows))
    (out / "freq_domain.md").write_text(card + "\n" + markdown_tables(rows) + "\n")
    print(markdown_tables(rows))
    return weights


def _load_pools(data, quick, random_state, *, max_valid):
    """The shipped models' pools: split by recording with seed 0.

    Returns the pools, the clean train/validation/test arrays (validation
    cut to a fixed, seeded subset of ``max_valid`` segments so that each
    validation pass takes seconds), the artifact arrays per kind
    (train/validation/test) and the generator that drew the subset.
    """
    from .datasets import make_benchmark_pools

    pools = make_benchmark_pools(random_state=0, path=data,
                                 max_segments=300 if quick else None)
    clean_tr, clean_va, clean_te = (b.data for b in pools["eeg"])
    rng = np.random.default_rng(random_state)
    if len(clean_va) > max_valid:
        clean_va = clean_va[rng.choice(len(clean_va), max_valid, replace=False)]
    arts = {k: [b.data for b in pools[k]] for k in ("eog", "emg")}
    print(f"Training pools: {len(clean_tr)} clean, {len(arts['eog'][0])} EOG, "
          f"{len(arts['emg'][0])} EMG segments; validation {len(clean_va)} clean.")
    return pools, (clean_tr, clean_va, clean_te), arts, rng


def _training_data_section(meta, pools):
    """The card's list of training sources, sizes and licences (shared)."""
    def src(kind):
        return ", ".join(sorted(set(pools[kind][0].sources))) or "n/a"

    return f"""- Clean EEG: {src('eeg')}.
- Ocular artifacts (EOG): {src('eog')}.
- Muscle artifacts (EMG): {src('emg')}.
- Segments: {meta['n_train']['eeg']} clean, {meta['n_train']['eog']} EOG,
  {meta['n_train']['emg']} EMG in the training split. Pools are split
  80/10/10 into train/validation/test by recording (seed 0), so no recording
  contributes to more than one split.
- Licences: EEGMMIDB ODC-By 1.0 (PhysioNet); EEGLAB sample BSD-2 (SCCN);
  Klados & Bamidis EOG CC BY 4.0; NeuroKit2 EOG MIT; EyeTrack EOG MIT; UCI
  lower-limb EMG CC BY 4.0; BioSPPy EMG BSD-3; Somach sEMG CC BY 4.0.
  Simulated muscle bursts (mne_denoise.datasets.simulate_emg) fill in where
  real EMG is scarce. See each source's PROVENANCE.md for caveats (leg rather
  than scalp EMG; band-limited facial EMG)."""


def _model_card(meta, pools, rows, summary):
    blind = {k: summary.get(("FreqDomainDenoiser (blind)", k), {})
             for k in ("eog", "emg")}
    return f"""# Model card: FreqDomainDenoiser pretrained weights (`freq_domain.pt`)

Written by `mne-denoise train freq_domain` (mne_denoise). Do not edit by hand:
rerun the command.

## Model
FreqDomainNet after Gabardi et al. (2023), "A multi-artifact EEG denoising by
frequency-based deep learning": kernel evaluators read the noise log-PSD, the
noisy log-PSD and their ratio and produce bounded time-domain filters that a
parameter-free applier convolves with the noisy signal; a noise-PSD estimator
supplies the noise spectrum when no reference channel exists (blind mode).
{meta['n_params']} trainable parameters (the paper's network has 224,192).
One set of weights for EOG and EMG. Input: one EEG channel, 2-s windows at
{MODEL_SFREQ:g} Hz ({MODEL_N_TIMES} samples), standardized per window.

## Training data (semi-synthetic, real recordings)
{_training_data_section(meta, pools)}

## Protocol
noisy = clean + lambda * artifact with SNR_dB = 10*log10(RMS(clean) /
RMS(lambda*artifact)) (EEGdenoiseNet's convention; papers using 20*log10 are
not comparable); training SNR uniform in {TRAIN_SNR_RANGE} dB, drawn afresh
each epoch; {meta.get('clean_probability', 0.0):.0%} of the pairs carry no
artifact (input = target); each item uses the exact noise PSD (reference
mode) or the estimator's (blind mode) with probability 1/2. Loss 0.25*RRMSE_t +
0.25*RRMSE_s + 0.5*log-cosh (+0.1 * MSE of the noise log-PSD estimate);
AdaMax, lr {meta['lr']}, batch {meta['batch_size']}, {meta['epochs_run']}
epochs, best validation epoch kept; seed {meta['seed']}.

## Training time and hardware
{meta['train_seconds']:.0f} s on {meta['hardware']} (torch {meta['torch']}).

## Held-out test figures (test split, {TEST_SNR_GRID[0]:g}..{TEST_SNR_GRID[-1]:g} dB)
Blind mode, mean over SNRs: EOG RRMSE_t {blind['eog'].get('rrmse_t', float('nan')):.3f},
EMG RRMSE_t {blind['emg'].get('rrmse_t', float('nan')):.3f}. RRMSE_s uses Welch
(Hann, 1-s segments, 50 % overlap). Reference mode assumes a reference
channel carrying the artifact plus unrelated brain activity at half the EEG
amplitude (see mne_denoise.benchmark).
"""
