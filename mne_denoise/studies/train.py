# License: BSD-3-Clause
"""``mne-denoise train MODEL``: train a shipped model and write its model card.

One entry point, :func:`train_model`, driven by a per-model spec
(:data:`MODELS`): the network and its loss, the estimator whose defaults it
takes, the size of the validation subset and the card's template. The pools
come from :func:`mne_denoise.datasets.make_benchmark_pools` (real recordings,
split by recording with seed 0): the training split trains, the validation
split picks the best epoch (``KeepBest``), and the test split is evaluated
for the card with :func:`mne_denoise.studies.benchmark.evaluate` (the
benchmark uses the same test split).
"""

import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from skorch.callbacks import LRScheduler
from torch.optim.lr_scheduler import CosineAnnealingLR

from .._protocol import (
    MODEL_N_TIMES,
    MODEL_SFREQ,
    TEST_SNR_GRID,
    TRAIN_SNR_RANGE,
    welch_psd,
)
from ..datasets import UNSEEN_SOURCES, make_benchmark_pools
from ..denoisers import (
    FreqDomainDenoiser,
    LowRankUnfoldedDenoiser,
    SpatialDenoiser,
    UNetDenoiser,
)
from ..nn import DenoisingLoss, FreqDomainNet, LowRankUnfoldedNet, UnfoldedLoss
from ..nn._skorch import (
    resolve_device,
    resolve_mix_probability,
    seed_torch,
    train_network,
)
from ..nn.callbacks import KeepBest, TimeBudget
from ..nn.spatial import SpatialNet, masked_mse
from ..nn.zoo import ReconstructionLoss, UNet1d
from ..weights import load_pretrained
from .benchmark import evaluate, markdown_tables, summarize
from .methods import default_methods
from .multichannel import model_card, train_spatial_model

__all__ = ["DEFAULT_OUT", "MODELS", "train_model", "write_model_card"]


@dataclass(frozen=True)
class _ModelSpec:
    """How one shipped model is trained and described."""

    #: The estimator whose default network arguments are trained.
    estimator: type
    network: type
    criterion: type
    #: Whether the network's forward takes a noise reference.
    with_reference: bool
    #: Size of the seeded validation subset (each validation pass: seconds).
    max_valid: int
    #: Rows of :func:`~mne_denoise.studies.methods.default_methods` on the card.
    card_methods: tuple
    #: ``card(meta, pools, summary) -> markdown`` (the card's prose).
    card: object
    #: A training function of its own (models not trained on single-channel
    #: pairs), called with ``out`` and the shared training arguments
    #: instead of the loop below; None for the single-channel models.
    trainer: object = None


def _hardware(device):
    if str(device).startswith("cuda"):
        return torch.cuda.get_device_name(0)
    return (f"CPU ({platform.processor() or platform.machine()}, "
            f"{torch.get_num_threads()} torch threads)")


def _load_pools(data, quick, random_state, *, max_valid):
    """The shipped models' pools: split by recording with seed 0.

    Returns the pools, the clean train/validation/test arrays (validation
    cut to a fixed, seeded subset of ``max_valid`` segments so that each
    validation pass takes seconds), the artifact arrays per kind
    (train/validation/test) and the generator that drew the subset.
    """
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


def train_model(model, *, out=None, max_epochs=40, batch_size=64, lr=2e-3,
                pairs_per_epoch=None, clean_probability=0.0, max_seconds=None,
                max_test_segments=None, test_snrs=TEST_SNR_GRID, data=None,
                quick=False, module_params=None, device="auto", random_state=0,
                augment=False, high_snr_probability=0.0, mix_probability=None,
                init_weights=None, into_package=False):
    """Train a shipped model's weights and write its model card.

    Parameters
    ----------
    model : str
        A key of :data:`MODELS` (``'freq_domain'`` or ``'low_rank_unfolded'``).
    out : path-like | None
        Folder for ``<model>.pt`` and ``<model>.md`` (default:
        :data:`DEFAULT_OUT` in the working directory). The installed
        package's weights are never written unless ``into_package=True``.
    max_epochs, batch_size, lr : int, int, float
        Training budget (AdaMax, cosine-annealed learning rate).
    pairs_per_epoch : int | None
        Semi-synthetic pairs per epoch (default: one per clean segment).
    clean_probability : float
        Share of artifact-free pairs (input = target), so that the network
        learns to leave clean EEG alone.
    max_seconds : float | None
        Wall-clock budget of the training loop: no epoch starts that would
        end past it (the best epoch so far is kept).
    max_test_segments : int | None
        Clean test segments evaluated for the card (seeded subset; default
        all).
    test_snrs : sequence of float
        SNR grid of the card's figures, in dB.
    data : path-like | None
        Folder of the shared recordings.
    quick : bool
        Two epochs on a few hundred segments, to check the command.
    module_params : dict | None
        Network arguments that override the estimator's defaults (e.g.
        ``{"n_stages": 6}``).
    device : str
        ``'auto'``, ``'cpu'`` or ``'cuda'``.
    random_state : int
        Seed of weights, draws and shuffling.
    augment : bool
        Augment the training artifacts: time stretch, reflected shift,
        polarity flip and EOG + EMG mixtures (see
        :class:`mne_denoise.nn._skorch.SemiSyntheticDataset`).
    high_snr_probability : float
        Share of pairs mixed at 5-20 dB rather than in the training SNR range
        (mildly contaminated input, which is most of real EEG).
    mix_probability : float | None
        Share of training artifacts that are an EOG + EMG mixture; None: 0.3
        with ``augment``, else none. Without ``augment`` the mixtures' parts
        are not stretched, shifted or flipped.
    init_weights : str | path-like | None
        Start from these weights instead of random ones: ``'pretrained'``
        (the shipped weights of ``model``) or a ``.pt`` file written by this
        command; their network arguments are used (``module_params`` must
        not change them). The card records where training started.
    into_package : bool
        Write into the package's own ``weights`` folder, replacing the shipped
        weights (the maintainers' release step); excludes ``out``.

    Returns
    -------
    weights : Path
        The weights file written.
    """
    if model not in MODELS:
        raise ValueError(f"Invalid value for the 'model' parameter. Allowed values "
                         f"are {', '.join(map(repr, MODELS))}, but got {model!r} "
                         "instead.")
    spec = MODELS[model]
    out = _output_folder(out, into_package)
    out.mkdir(parents=True, exist_ok=True)
    if spec.trainer is not None:
        if init_weights is not None:
            raise ValueError(f"init_weights is not supported for {model!r}; "
                             "train it from random weights.")
        return spec.trainer(out=out, max_epochs=max_epochs, batch_size=batch_size,
                            lr=lr, max_seconds=max_seconds, quick=quick, data=data,
                            device=device, random_state=random_state,
                            module_params=module_params)
    device = resolve_device(device)
    mix_probability = resolve_mix_probability(mix_probability, augment)
    if quick:
        max_epochs = min(max_epochs, 2)
    pools, (clean_tr, clean_va, clean_te), arts, rng = _load_pools(
        data, quick, random_state, max_valid=spec.max_valid)
    if max_test_segments is not None and len(clean_te) > max_test_segments:
        clean_te = clean_te[np.sort(rng.choice(len(clean_te), max_test_segments,
                                               replace=False))]

    init_state, base = None, spec.estimator._default_module_params
    if init_weights is not None:
        bundle = load_pretrained(model if init_weights == "pretrained"
                                 else init_weights)
        # As the estimators do: the file says how its network was built (an
        # argument it leaves out is not the estimator's current default).
        base = bundle["module_params"]
        # Stored as JSON-like values (lists for tuples): compare as such.
        differ = {k for k, v in (module_params or {}).items() if k in base
                  and list(np.atleast_1d(v)) != list(np.atleast_1d(base[k]))}
        if differ:
            raise ValueError(
                f"init_weights={str(init_weights)!r} has other network arguments "
                f"({', '.join(sorted(differ))}) than this training; drop "
                "module_params or start from random weights.")
        init_state = bundle["state_dict"]
    module_params = {**base, **(module_params or {})}
    callbacks = [("keep_best", KeepBest()),
                 ("lr_schedule", LRScheduler(policy=CosineAnnealingLR,
                                             T_max=max(max_epochs, 1)))]
    if max_seconds is not None:
        callbacks.append(("time_budget", TimeBudget(max_seconds, check="epoch")))
    seed_torch(random_state)
    t0 = time.perf_counter()
    net = train_network(
        spec.network, {"n_times": MODEL_N_TIMES, **module_params}, spec.criterion,
        clean_tr, [arts["eog"][0], arts["emg"][0]],
        clean_valid=clean_va, artifacts_valid=[arts["eog"][1], arts["emg"][1]],
        snr_range=TRAIN_SNR_RANGE, lr=lr, batch_size=batch_size,
        max_epochs=max_epochs, device=device, seed=random_state,
        n_items=pairs_per_epoch, verbose=1, with_reference=spec.with_reference,
        clean_probability=clean_probability, callbacks=callbacks,
        augment=augment, high_snr_probability=high_snr_probability,
        mix_probability=mix_probability, init_state=init_state,
    )
    train_seconds = time.perf_counter() - t0
    state = {k: v.detach().cpu() for k, v in net.module_.state_dict().items()}
    n_params = int(sum(v.numel() for v in net.module_.parameters()))
    valid_losses = [h.get("valid_loss") for h in net.history
                    if h.get("valid_loss") is not None]
    meta = {
        "model": model,
        "train_seconds": float(train_seconds),
        "hardware": _hardware(device),
        "device": device,
        "max_epochs": int(max_epochs),
        "epochs_run": len(net.history),
        "pairs_per_epoch": int(max(pairs_per_epoch or len(clean_tr), batch_size)),
        "best_valid_loss": float(np.nanmin(valid_losses)) if valid_losses else None,
        "batch_size": int(batch_size),
        "lr": float(lr),
        "seed": int(random_state),
        "clean_probability": float(clean_probability),
        "augment": bool(augment),
        "high_snr_probability": float(high_snr_probability),
        "mix_probability": float(mix_probability),
        "init_weights": None if init_weights is None else (
            "pretrained" if init_weights == "pretrained" else Path(init_weights).name),
        "n_params": n_params,
        "module_params": dict(module_params),
        "n_train": {"eeg": len(clean_tr), "eog": len(arts["eog"][0]),
                    "emg": len(arts["emg"][0])},
        "n_test": int(len(clean_te)),
        "sources": {k: list(pools[k][0].sources) for k in ("eeg", "eog", "emg")},
        "quick": bool(quick),
        "torch": str(torch.__version__),
    }
    weights = out / f"{model}.pt"
    torch.save({"state_dict": state, "module_params": module_params,
                "meta": meta}, weights)
    print(f"Wrote {weights} ({weights.stat().st_size / 1e6:.2f} MB, "
          f"{n_params} parameters, {train_seconds:.0f} s).")
    write_model_card(model, weights, pools, clean_te, test_snrs=test_snrs,
                     device=device)
    print(f"Load them with {spec.estimator.__name__}(weights={str(weights)!r}).")
    return weights


#: Where ``train`` writes by default, relative to the working directory.
DEFAULT_OUT = "mne_denoise_weights"


def _output_folder(out, into_package):
    """The folder ``train`` writes to: never the package unless asked."""
    package = Path(__file__).parents[1] / "weights"
    if into_package:
        if out is not None:
            raise ValueError(
                "Pass either out (a folder of your own) or into_package=True "
                "(replace the package's shipped weights), not both.")
        return package
    out = Path(out) if out is not None else Path.cwd() / DEFAULT_OUT
    if out.resolve() == package.resolve():
        raise ValueError(
            f"{out} is the installed package's weights folder; writing there "
            "replaces the shipped weights for every user of this install. Pass "
            "into_package=True (mne-denoise train --into-package) if that is "
            "what you mean, or choose another folder.")
    return out


def write_model_card(model, weights, pools, clean_test, *, test_snrs=TEST_SNR_GRID,
                     device="cpu"):
    """Evaluate a model's weights on the test split and write its model card.

    Parameters
    ----------
    model : str
        A key of :data:`MODELS`.
    weights : Path
        The weights file; the card is written next to it (``.md``).
    pools : dict
        The output of :func:`mne_denoise.datasets.make_benchmark_pools`.
    clean_test : array, shape (n, 512)
        The clean test segments to evaluate (all of the test split, or a
        seeded subset).
    test_snrs : sequence of float
        SNR grid in dB.
    device : str
        Torch device.
    """
    spec = MODELS[model]
    weights = Path(weights)
    meta = torch.load(weights, map_location="cpu", weights_only=True)["meta"]
    meta = {**meta, "n_test": int(len(clean_test)),
            "test_snrs": [float(s) for s in test_snrs]}
    # How slow each artifact split is: it decides much of the figures.
    slow = {}
    for kind in ("eog", "emg"):
        fractions = []
        for bank in pools[kind]:
            psd, freqs = welch_psd(bank.data, MODEL_SFREQ)
            psd = psd.mean(axis=0)
            fractions.append(float(psd[freqs < 4].sum() / psd.sum()))
        slow[kind] = fractions
    meta["below_4hz"] = slow
    calibration = (pools["eeg"][0].data[:400],
                   [pools["eog"][0].data, pools["emg"][0].data])
    methods = default_methods(device=device, weights={model: str(weights)},
                              calibration=calibration)
    methods = {k: methods[k] for k in ("No denoising", *spec.card_methods)}
    rows = evaluate(methods, clean_test, {"eog": pools["eog"][2].data,
                                          "emg": pools["emg"][2].data},
                    snrs=test_snrs)
    card = spec.card(meta, pools, summarize(rows))
    weights.with_suffix(".md").write_text(
        card + "\n" + markdown_tables(rows) + "\n")
    print(markdown_tables(rows))


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
  than scalp EMG; band-limited facial EMG).
- Never seen in training or validation (the benchmark's unseen-source test,
  `mne_denoise.datasets.UNSEEN_SOURCES`): clean EEG of
  {'; '.join(UNSEEN_SOURCES['eeg'])}; EOG sources
  {', '.join(UNSEEN_SOURCES['eog'])}; EMG sources
  {', '.join(UNSEEN_SOURCES['emg'])}.""" + _augmentation_bullet(meta)


def _start_sentence(meta):
    """The card's words on where training started ("" from random weights)."""
    init = meta.get("init_weights")
    if not init:
        return ""
    what = "the shipped weights" if init == "pretrained" else f"`{init}`"
    return f" Training started from {what} (fine-tuning), not from random weights."


def _augmentation_bullet(meta):
    """The card's line on artifact augmentation and high SNRs ("" if off)."""
    parts = []
    # Weights trained before the option existed: 0.3 with augment.
    mix = meta.get("mix_probability", 0.3 if meta.get("augment") else 0.0)
    if meta.get("augment"):
        parts.append("every training artifact is augmented (time stretch by "
                     "0.8-1.25, reflected shift, polarity flip"
                     + (f", and with probability {mix:g} an EOG + EMG mixture)"
                        if mix else ")"))
    elif mix:
        parts.append(f"with probability {mix:g} a training artifact is an EOG + "
                     "EMG mixture (the two segments as recorded, each at unit "
                     "RMS times a gain of 0.5-2)")
    if meta.get("high_snr_probability"):
        parts.append(f"{meta['high_snr_probability']:.0%} of the contaminated "
                     "pairs are mixed at 5-20 dB")
    if not parts:
        return ""
    return "\n- Augmentation: " + "; ".join(parts) + "."


def _frame_sentence(meta):
    """The card's line on time-local filters ("" for the paper's design)."""
    frame = (meta.get("module_params") or {}).get("frame")
    if not frame:
        return ""
    return f"""
Time-local filters (mne_denoise's extension; the paper computes one set of
filters per window): each window is cut into frames of {frame} samples
({frame / MODEL_SFREQ:g} s, hop {frame // 2}), each frame's spectra give that
frame's filters, and the filtered frames are overlap-added under a periodic
Hann window, so a 0.3-s blink sets the filters of the frames it falls in."""


def _freq_domain_card(meta, pools, summary):
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
{meta['n_params']} trainable parameters (the paper's network has \
224,192).{_frame_sentence(meta)}
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
epochs, best validation epoch kept; seed {meta['seed']}.{_start_sentence(meta)}

## Training time and hardware
{meta['train_seconds']:.0f} s on {meta['hardware']} (torch {meta['torch']}).

## Held-out test figures (test split, {TEST_SNR_GRID[0]:g}..{TEST_SNR_GRID[-1]:g} dB)
Blind mode, mean over SNRs: EOG RRMSE_t {blind['eog'].get('rrmse_t', float('nan')):.3f},
EMG RRMSE_t {blind['emg'].get('rrmse_t', float('nan')):.3f}. RRMSE_s uses Welch
(Hann, 1-s segments, 50 % overlap). Reference mode assumes a reference
channel carrying the artifact plus unrelated brain activity at half the EEG
amplitude (see mne_denoise.studies.benchmark).
"""


def _fractions(meta, kind):
    values = meta.get("below_4hz", {}).get(kind, [])
    return " / ".join(f"{100 * v:.0f} %" for v in values) or "n/a"


def _blind_figures_section(meta, summary, method):
    """The card's held-out test figures of a blind model (shared)."""
    blind = {k: summary.get((method, k), {}) for k in ("eog", "emg")}

    def fig(kind, metric):
        return f"{blind[kind].get(metric, float('nan')):.3f}"

    return f"""## Held-out test figures
Test split, {meta['n_test']} clean segments, SNR {min(meta['test_snrs']):g} to
{max(meta['test_snrs']):g} dB. Blind, mean over SNRs: EOG RRMSE_t
{fig('eog', 'rrmse_t')}, RRMSE_s {fig('eog', 'rrmse_s')}, CC {fig('eog', 'cc')};
EMG RRMSE_t {fig('emg', 'rrmse_t')}, RRMSE_s {fig('emg', 'rrmse_s')}, CC
{fig('emg', 'cc')}. RRMSE_s uses Welch (Hann, 1-s segments, 50 % overlap).
"""


def _low_rank_unfolded_card(meta, pools, summary):
    method = "LowRankUnfoldedDenoiser (blind)"
    title = "LowRankUnfoldedDenoiser pretrained weights (`low_rank_unfolded.pt`)"
    return f"""# Model card: {title}

Written by `mne-denoise train low_rank_unfolded` (mne_denoise). Do not edit by hand:
rerun the command.

## Model
LowRankUnfoldedNet: low-rank + sparse recovery (principal component pursuit,
augmented Lagrangian method) of each window's trajectory (Hankel) matrix,
unrolled into learned stages after the idea of LRR-UNet (Yue, Lu, Liu & Zang
2025, "LRR-UNet: A Deep Unfolding Network With Low-Rank Recovery for EEG
Signal Denoising"). Only that paper's abstract is public: the architecture
is mne_denoise's own design. Each stage: an L-update (a learned basis of
rank-limited projections of the trajectory matrix, weighted by a small 1-D
U-Net, replacing singular value thresholding), an S-update (soft thresholding
with a learned, locally modulated threshold) and a multiplier update with
learned penalty and step. The last stage's low-rank estimate is the cleaned
EEG; the sparse part holds the artifact. {meta['n_params']} trainable
parameters. One set of weights for EOG and EMG, blind (no reference
channel). Input: one EEG channel, 2-s windows at {MODEL_SFREQ:g} Hz
({MODEL_N_TIMES} samples), standardized per window.

## Training data (semi-synthetic, real recordings)
{_training_data_section(meta, pools)}
- Share of the artifact power below 4 Hz in the train / validation / test
  splits: EOG {_fractions(meta, 'eog')}, EMG {_fractions(meta, 'emg')}.

## Protocol
noisy = clean + lambda * artifact with SNR_dB = 10*log10(RMS(clean) /
RMS(lambda*artifact)) (EEGdenoiseNet's convention; papers using 20*log10 are
not comparable); training SNR uniform in {TRAIN_SNR_RANGE} dB, drawn afresh
each epoch, artifact kind drawn at random per pair;
{meta.get('clean_probability', 0.0):.0%} of the pairs carry no artifact (input
= target). Loss: 0.25*RRMSE_t +
0.25*RRMSE_s + 0.5*log-cosh on the output, plus 0.3 times its mean over the
earlier stages' low-rank estimates (deep supervision), plus 0.1 times the
mean squared constraint residual x - L - S of the last stage; AdaMax, lr
{meta['lr']} (cosine annealed), batch {meta['batch_size']},
{meta['pairs_per_epoch']} pairs per epoch, {meta['epochs_run']} epochs (of
at most {meta['max_epochs']}), best validation epoch kept; seed
{meta['seed']}.{_start_sentence(meta)}

## Training time and hardware
{meta['train_seconds']:.0f} s on {meta['hardware']} (torch {meta['torch']}).
A short CPU budget on a shared machine: more epochs would likely help.

{_blind_figures_section(meta, summary, method)}"""


def _unet_card(meta, pools, summary):
    method = "UNetDenoiser (blind)"
    params = ", ".join(f"{k}={v!r}" for k, v in meta["module_params"].items())
    return f"""# Model card: UNetDenoiser pretrained weights (`unet.pt`)

Written by `mne-denoise train unet` (mne_denoise). Do not edit by hand:
rerun the command.

## Model
UNet1d (mne_denoise.nn.zoo): a 1-D U-Net (Ronneberger et al., 2015, on time
series) of conv-BN-ReLU blocks, max-pooling by 2 and transposed-convolution
upsampling with skip connections, trained end to end on the raw segment.
It is the zoo network that led the benchmark when all were trained under one
time budget, so its weights ship. {meta['n_params']} trainable parameters
({params or 'default arguments'}). One set of weights for EOG and EMG,
blind (no reference channel). Input: one EEG channel, 2-s windows at
{MODEL_SFREQ:g} Hz ({MODEL_N_TIMES} samples), standardized per window. Like
every deep denoiser, `UNetDenoiser` gates the network per window and
channel (`threshold`), so clean windows pass unchanged.

## Training data (semi-synthetic, real recordings)
{_training_data_section(meta, pools)}

## Protocol
noisy = clean + lambda * artifact with SNR_dB = 10*log10(RMS(clean) /
RMS(lambda*artifact)) (EEGdenoiseNet's convention); training SNR uniform in
{TRAIN_SNR_RANGE} dB, drawn afresh each epoch;
{meta.get('clean_probability', 0.0):.0%} of the pairs carry no artifact.
Loss: the zoo's reconstruction loss (ReconstructionLoss); AdaMax, lr
{meta['lr']} (cosine annealed), batch {meta['batch_size']},
{meta['pairs_per_epoch']} pairs per epoch, {meta['epochs_run']} epochs (of at
most {meta['max_epochs']}), best validation epoch kept; seed
{meta['seed']}.{_start_sentence(meta)}

## Training time and hardware
{meta['train_seconds']:.0f} s on {meta['hardware']} (torch {meta['torch']}).

{_blind_figures_section(meta, summary, method)}"""


#: The shipped models, by the name of their weights file.
MODELS = {
    "freq_domain": _ModelSpec(
        estimator=FreqDomainDenoiser, network=FreqDomainNet,
        criterion=DenoisingLoss, with_reference=True, max_valid=2000,
        card_methods=("FreqDomainDenoiser (reference)",
                      "FreqDomainDenoiser (blind)"),
        card=_freq_domain_card),
    "low_rank_unfolded": _ModelSpec(
        estimator=LowRankUnfoldedDenoiser, network=LowRankUnfoldedNet,
        criterion=UnfoldedLoss, with_reference=False, max_valid=1000,
        card_methods=("LowRankUnfoldedDenoiser (blind)",),
        card=_low_rank_unfolded_card),
    # The zoo network that led the benchmark (blind, no reference input).
    "unet": _ModelSpec(
        estimator=UNetDenoiser, network=UNet1d, criterion=ReconstructionLoss,
        with_reference=False, max_valid=1000,
        card_methods=("UNetDenoiser (blind)",), card=_unet_card),
    # Multichannel: trained on multichannel items by its own loop.
    "spatial": _ModelSpec(
        estimator=SpatialDenoiser, network=SpatialNet, criterion=masked_mse,
        with_reference=True, max_valid=0, card_methods=(), card=model_card,
        trainer=train_spatial_model),
}
