# License: BSD-3-Clause
"""``mne-denoise train low_rank_unfolded``: train the shipped unfolded network."""

import time
from pathlib import Path

import numpy as np

from ._protocol import MODEL_N_TIMES, MODEL_SFREQ, TEST_SNR_GRID, TRAIN_SNR_RANGE
from ._train import _hardware, _load_pools, _training_data_section

_NAME = "low_rank_unfolded"


def _time_budget(max_seconds):
    """A skorch callback: stop before an epoch would end past ``max_seconds``."""
    from skorch.callbacks import Callback

    class TimeBudget(Callback):
        def initialize(self):
            self.start_ = time.perf_counter()
            return self

        def on_epoch_end(self, net, **kwargs):
            elapsed = time.perf_counter() - self.start_
            last = net.history[-1, "dur"]
            if max_seconds is not None and elapsed + last > max_seconds:
                # skorch's own EarlyStopping stops this way; on_train_end
                # (and so KeepBest) still runs.
                raise KeyboardInterrupt

    return TimeBudget()


def _unfolded_method(weights, device):
    from .denoisers._low_rank_unfolded import LowRankUnfoldedDenoiser

    def unfolded(noisy, reference, kind, sfreq):
        den = LowRankUnfoldedDenoiser(sfreq=sfreq, weights=weights, device=device)
        return den.fit(noisy[:1]).transform(noisy)

    return unfolded


def train_low_rank_unfolded(*, out=None, max_epochs=40, batch_size=64, lr=2e-3,
                            pairs_per_epoch=None, clean_probability=0.0,
                            max_seconds=None,
                            max_test_segments=None, test_snrs=TEST_SNR_GRID,
                            data=None, quick=False, module_params=None,
                            device="auto", random_state=0):
    """Train LowRankUnfoldedDenoiser's shipped weights and write the model card.

    Same pools, split, seed and protocol as
    :func:`mne_denoise._train.train_freq_domain`: the training split of
    :func:`mne_denoise.datasets.make_benchmark_pools` trains, the validation
    split picks the best epoch (kept by ``KeepBest``), and the test split is
    evaluated for the card with :func:`mne_denoise.benchmark.evaluate`.

    Parameters
    ----------
    out : path-like | None
        Folder for ``low_rank_unfolded.pt`` and ``low_rank_unfolded.md``
        (default: the package's ``weights`` folder).
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

    Returns
    -------
    weights : Path
        The weights file written.
    """
    import torch
    from skorch.callbacks import LRScheduler
    from torch.optim.lr_scheduler import CosineAnnealingLR

    from .denoisers._low_rank_unfolded import LowRankUnfoldedDenoiser
    from .nn._skorch import KeepBest, resolve_device, seed_torch, train_network
    from .nn.low_rank_unfolded import LowRankUnfoldedNet, UnfoldedLoss

    out = Path(out) if out is not None else Path(__file__).parent / "weights"
    out.mkdir(parents=True, exist_ok=True)
    device = resolve_device(device)
    if quick:
        max_epochs = min(max_epochs, 2)
    pools, (clean_tr, clean_va, clean_te), arts, rng = _load_pools(
        data, quick, random_state, max_valid=1000)
    if max_test_segments is not None and len(clean_te) > max_test_segments:
        clean_te = clean_te[np.sort(rng.choice(len(clean_te), max_test_segments,
                                               replace=False))]

    module_params = {**LowRankUnfoldedDenoiser._default_module_params,
                     **(module_params or {})}
    seed_torch(random_state)
    t0 = time.perf_counter()
    net = train_network(
        LowRankUnfoldedNet, {"n_times": MODEL_N_TIMES, **module_params},
        UnfoldedLoss, clean_tr, [arts["eog"][0], arts["emg"][0]],
        clean_valid=clean_va, artifacts_valid=[arts["eog"][1], arts["emg"][1]],
        snr_range=TRAIN_SNR_RANGE, lr=lr, batch_size=batch_size,
        max_epochs=max_epochs, device=device, seed=random_state,
        n_items=pairs_per_epoch, verbose=1, with_reference=False,
        clean_probability=clean_probability,
        callbacks=[("keep_best", KeepBest()),
                   ("lr_schedule", LRScheduler(policy=CosineAnnealingLR,
                                               T_max=max(max_epochs, 1))),
                   ("time_budget", _time_budget(max_seconds))],
    )
    train_seconds = time.perf_counter() - t0
    state = {k: v.detach().cpu() for k, v in net.module_.state_dict().items()}
    n_params = int(sum(v.numel() for v in net.module_.parameters()))
    valid_losses = [h.get("valid_loss") for h in net.history]
    meta = {
        "model": _NAME,
        "train_seconds": float(train_seconds),
        "hardware": _hardware(device),
        "device": device,
        "max_epochs": int(max_epochs),
        "epochs_run": len(net.history),
        "pairs_per_epoch": int(max(pairs_per_epoch or len(clean_tr), batch_size)),
        "best_valid_loss": float(np.nanmin([v for v in valid_losses if v is not None]))
        if any(v is not None for v in valid_losses) else None,
        "batch_size": int(batch_size),
        "lr": float(lr),
        "seed": int(random_state),
        "clean_probability": float(clean_probability),
        "n_params": n_params,
        "n_train": {"eeg": len(clean_tr), "eog": len(arts["eog"][0]),
                    "emg": len(arts["emg"][0])},
        "n_test": int(len(clean_te)),
        "sources": {k: list(pools[k][0].sources) for k in ("eeg", "eog", "emg")},
        "quick": bool(quick),
        "torch": str(torch.__version__),
    }
    weights = out / f"{_NAME}.pt"
    torch.save({"state_dict": state, "module_params": module_params,
                "meta": meta}, weights)
    print(f"Wrote {weights} ({weights.stat().st_size / 1e6:.2f} MB, "
          f"{n_params} parameters, {train_seconds:.0f} s).")

    write_model_card(weights, pools, clean_te, test_snrs=test_snrs, device=device)
    return weights


def write_model_card(weights, pools, clean_test, *, test_snrs=TEST_SNR_GRID,
                     device="cpu"):
    """Evaluate shipped weights on the test split and write their model card.

    Parameters
    ----------
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
    import torch

    from ._protocol import welch_psd
    from .benchmark import evaluate, markdown_tables, summarize

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
    methods = {"No denoising": lambda noisy, reference, kind, sfreq: noisy,
               "LowRankUnfoldedDenoiser (blind)": _unfolded_method(
                   str(weights), device)}
    rows = evaluate(methods, clean_test, {"eog": pools["eog"][2].data,
                                          "emg": pools["emg"][2].data},
                    snrs=test_snrs)
    card = _model_card(meta, pools, summarize(rows))
    weights.with_suffix(".md").write_text(
        card + "\n" + markdown_tables(rows) + "\n")
    print(markdown_tables(rows))


def _fractions(meta, kind):
    values = meta.get("below_4hz", {}).get(kind, [])
    return " / ".join(f"{100 * v:.0f} %" for v in values) or "n/a"


def _model_card(meta, pools, summary):
    blind = {k: summary.get(("LowRankUnfoldedDenoiser (blind)", k), {})
             for k in ("eog", "emg")}

    def fig(kind, metric):
        return f"{blind[kind].get(metric, float('nan')):.3f}"

    return f"""# Model card: LowRankUnfoldedDenoiser pretrained weights (`{_NAME}.pt`)

Written by `mne-denoise train {_NAME}` (mne_denoise). Do not edit by hand:
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
  splits: EOG {_fractions(meta, 'eog')}, EMG {_fractions(meta, 'emg')}. The
  EMG splits differ much (which recordings land in which split): the test
  split's "EMG" is mostly slow, the validation split's broadband.

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
{meta['seed']}.

## Training time and hardware
{meta['train_seconds']:.0f} s on {meta['hardware']} (torch {meta['torch']}).
A short CPU budget on a shared machine: more epochs would likely help.

## Held-out test figures
Test split, {meta['n_test']} clean segments, SNR {min(meta['test_snrs']):g} to
{max(meta['test_snrs']):g} dB. Blind, mean over SNRs: EOG RRMSE_t
{fig('eog', 'rrmse_t')}, RRMSE_s {fig('eog', 'rrmse_s')}, CC {fig('eog', 'cc')};
EMG RRMSE_t {fig('emg', 'rrmse_t')}, RRMSE_s {fig('emg', 'rrmse_s')}, CC
{fig('emg', 'cc')}. RRMSE_s uses Welch (Hann, 1-s segments, 50 % overlap).
"""
