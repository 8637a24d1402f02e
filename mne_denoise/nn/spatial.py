# License: BSD-3-Clause
"""The multichannel network: shared temporal encoder, attention across channels.

A temporal encoder shared by all channels, attention across channels with
an encoding of their 3-D positions, and a per-channel correction.

Any montage, any channel count: the channels are a *set* of tokens. Each
channel's window goes through the same temporal encoder (strided 1-D
convolutions) into frames of features; at every frame the channels attend
to each other (a transformer layer across channels), each token carrying an
encoding of where its electrode is (random Fourier features of the unit
direction from the head's centre, through a linear layer) and of what it is
(EEG, EEG without position, EOG reference, EMG reference); a temporal
convolution mixes frames between attention layers. A decoder with a skip
connection from the full-rate features returns each channel's artifact
estimate, and the network returns the input minus it.

Reference channels (EOG, EMG) are tokens too: the EEG channels can attend to
them, and their own outputs are ignored. Tokens that do not exist (channel
slots of a padded batch) are masked out of the attention and of the loss.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch
from torch import nn

#: Token kinds: EEG with a position, EEG without one, EOG and EMG references.
KIND_EEG, KIND_EEG_NO_POSITION, KIND_EOG, KIND_EMG = 0, 1, 2, 3
N_KINDS = 4


class PositionEncoding(nn.Module):
    """Random Fourier features of electrode directions, then a linear layer.

    Parameters
    ----------
    hidden : int
        Output features.
    n_frequencies : int
        Fourier frequencies (fixed, drawn once at construction from a seeded
        generator, so that saved weights stay valid).
    scale : float
        Standard deviation of the frequencies: angular resolution of about
        ``1 / scale`` radians.
    """

    def __init__(self, hidden, n_frequencies=16, scale=3.0):
        super().__init__()
        gen = torch.Generator().manual_seed(0)
        self.register_buffer("freqs", torch.randn(3, n_frequencies, generator=gen)
                             * scale)
        self.linear = nn.Linear(2 * n_frequencies + 3, hidden)

    def forward(self, directions):
        """Encode ``(..., 3)`` unit directions into ``(..., hidden)``."""
        proj = 2 * math.pi * directions @ self.freqs
        return self.linear(torch.cat([directions, proj.sin(), proj.cos()], dim=-1))


class _Block(nn.Module):
    """Attention across channels at every frame, then a temporal convolution."""

    def __init__(self, hidden, n_heads):
        super().__init__()
        self.attention = nn.TransformerEncoderLayer(
            hidden, n_heads, dim_feedforward=2 * hidden, dropout=0.0,
            batch_first=True, norm_first=True, activation="gelu")
        self.temporal = nn.Conv1d(hidden, hidden, 5, padding=2, groups=1)
        self.norm = nn.GroupNorm(1, hidden)

    def forward(self, h, token, pad):
        # h: (B, C, H, F); token: (B, C, H); pad: (B, C) True where absent.
        b, c, hid, f = h.shape
        seq = (h + token[..., None]).permute(0, 3, 1, 2).reshape(b * f, c, hid)
        pad_f = None
        if pad.any():  # without padding, the layer's fast path needs no mask
            pad_f = pad[:, None, :].expand(b, f, c).reshape(b * f, c)
        seq = self.attention(seq, src_key_padding_mask=pad_f)
        h = seq.reshape(b, f, c, hid).permute(0, 2, 3, 1) - token[..., None]
        flat = h.reshape(b * c, hid, f)
        flat = flat + self.temporal(torch.nn.functional.gelu(self.norm(flat)))
        return flat.reshape(b, c, hid, f)


class SpatialNet(nn.Module):
    """Multichannel artifact removal for any set of channels.

    Parameters
    ----------
    n_times : int
        Window length in samples (a multiple of ``stride``).
    hidden : int
        Features per channel and frame.
    n_heads : int
        Attention heads (a divisor of ``hidden``).
    n_layers : int
        Attention blocks.
    stride : int
        Samples per frame of the temporal encoder.
    n_frequencies : int
        Fourier features of the position encoding.

    Notes
    -----
    ``forward(x, pos, kind, mask)`` takes the standardized windows ``x``
    ``(batch, n_tokens, n_times)`` (EEG channels and references, one scale
    per window), the tokens' unit directions ``pos`` ``(batch, n_tokens,
    3)`` (ignored for tokens that are not ``KIND_EEG``), their kinds ``kind``
    ``(batch, n_tokens)`` and which tokens exist, ``mask`` ``(batch,
    n_tokens)``; it returns the denoised windows ``(batch, n_tokens,
    n_times)`` (meaningful for the EEG tokens).
    """

    def __init__(self, n_times=512, hidden=32, n_heads=4, n_layers=2, stride=8,
                 n_frequencies=16):
        super().__init__()
        if n_times % stride:
            raise ValueError(f"n_times ({n_times}) must be a multiple of stride "
                             f"({stride}).")
        if hidden % n_heads:
            raise ValueError(f"hidden ({hidden}) must be a multiple of n_heads "
                             f"({n_heads}).")
        self.n_times = n_times
        self.stem = nn.Sequential(nn.Conv1d(1, hidden, 7, padding=3), nn.GELU())
        self.down = nn.Sequential(
            nn.Conv1d(hidden, hidden, stride, stride=stride), nn.GELU(),
            nn.Conv1d(hidden, hidden, 5, padding=2))
        self.position = PositionEncoding(hidden, n_frequencies)
        self.kind = nn.Embedding(N_KINDS, hidden)
        self.blocks = nn.ModuleList([_Block(hidden, n_heads)
                                     for _ in range(n_layers)])
        self.up = nn.ConvTranspose1d(hidden, hidden, stride, stride=stride)
        self.head = nn.Sequential(
            nn.Conv1d(2 * hidden, hidden, 7, padding=3), nn.GELU(),
            nn.Conv1d(hidden, 1, 1))

    def forward(self, x, pos, kind, mask):
        """Denoise the EEG tokens of ``x`` (see the class's Notes)."""
        b, c, t = x.shape
        skip = self.stem(x.reshape(b * c, 1, t))
        h = self.down(skip)
        f = h.shape[-1]
        h = h.reshape(b, c, -1, f)
        has_pos = (kind == KIND_EEG)[..., None]
        token = self.kind(kind) + has_pos * self.position(pos)
        pad = ~mask
        for block in self.blocks:
            h = block(h, token, pad)
        up = self.up(h.reshape(b * c, -1, f))
        artifact = self.head(torch.cat([up, skip], dim=1)).reshape(b, c, t)
        return x - artifact * mask[..., None]


def _tensors(batch, device, keys=("x", "pos", "kind", "mask")):
    dtypes = {"kind": torch.long, "mask": torch.bool}
    return [torch.as_tensor(np.ascontiguousarray(batch[k]),
                            dtype=dtypes.get(k, torch.float32),
                            device=device) for k in keys]


def masked_mse(denoised, target, mask):
    """Mean squared error over the EEG tokens that exist.

    ``denoised`` has the reference tokens after the ``target``'s channels;
    they are not scored.
    """
    n = target.shape[1]
    m = mask[:, :n, None].to(denoised.dtype)
    return ((denoised[:, :n] - target) ** 2 * m).sum() / (m.sum() * target.shape[-1])


def train_spatial(module, draw, *, n_steps, lr=1e-3, device="cpu", seed=0,
                  valid=None, time_budget_s=None, verbose=0, init_state=None):
    """Train a :class:`SpatialNet` on batches drawn on the fly.

    A plain loop rather than skorch's: every batch has a montage of its own
    (channel count and positions), which a dataset of fixed-shape items
    does not express.

    Parameters
    ----------
    module : SpatialNet
        The network (trained in place).
    draw : callable
        ``draw(step, rng) -> dict`` with ``x``, ``y``, ``pos``, ``kind`` and
        ``mask`` arrays (see
        :meth:`mne_denoise.datasets.MultichannelSimulator.batch`;
        ``pos`` already unit directions).
    n_steps : int
        Optimisation steps (Adam, cosine-decayed learning rate, gradients
        clipped at norm 1).
    lr : float
        Peak learning rate.
    device : str
        Torch device.
    seed : int
        Seeds the draws' generator.
    valid : list of dict | None
        Fixed validation batches; the weights with the lowest validation
        loss are kept (KeepBest's rule).
    time_budget_s : float | None
        Stop after this much wall time. The learning rate then follows the
        cosine over whichever runs out first, the steps or the time, so a
        run cut by its budget still ends annealed.
    verbose : int
        Print the losses every tenth of the run.
    init_state : dict | None
        A state dict to start from.

    Returns
    -------
    history : list of dict
        ``step``, ``train_loss``, ``valid_loss`` (None without ``valid``)
        and ``lr`` (the learning rate after that step).
    """
    if init_state is not None:
        module.load_state_dict(init_state)
    module.to(device)
    rng = np.random.RandomState(seed)
    opt = torch.optim.Adam(module.parameters(), lr=lr)
    history, best, best_state = [], np.inf, None
    start = time.monotonic()
    every = max(1, n_steps // 10)
    running = []
    for step in range(n_steps):
        module.train()
        batch = draw(step, rng)
        x, pos, kind, mask = _tensors(batch, device)
        y = torch.as_tensor(batch["y"], dtype=torch.float32, device=device)
        loss = masked_mse(module(x, pos, kind, mask), y, mask)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(module.parameters(), 1.0)
        opt.step()
        progress = (step + 1) / max(n_steps, 1)
        if time_budget_s is not None:
            progress = max(progress, (time.monotonic() - start) / time_budget_s)
        for group in opt.param_groups:
            group["lr"] = lr * 0.5 * (1.0 + np.cos(np.pi * min(progress, 1.0)))
        running.append(float(loss.detach()))
        over = time_budget_s is not None and time.monotonic() - start > time_budget_s
        if (step + 1) % every == 0 or step == n_steps - 1 or over:
            v = None
            if valid:
                v = float(np.mean([evaluate(module, b, device) for b in valid]))
                if v < best:
                    best = v
                    best_state = {k: t.detach().clone()
                                  for k, t in module.state_dict().items()}
            history.append({"step": step + 1, "train_loss": float(np.mean(running)),
                            "valid_loss": v, "lr": opt.param_groups[0]["lr"]})
            running = []
            if verbose:
                train_loss = history[-1]["train_loss"]
                print(f"step {step + 1}/{n_steps}  train {train_loss:.4f}  "
                      f"valid {v if v is None else round(v, 4)}", flush=True)
        if over:
            break
    if best_state is not None:
        module.load_state_dict(best_state)
    module.eval()
    return history


@torch.inference_mode()
def evaluate(module, batch, device="cpu"):
    """The masked MSE of ``module`` on one batch."""
    module.eval()
    x, pos, kind, mask = _tensors(batch, device)
    y = torch.as_tensor(batch["y"], dtype=torch.float32, device=device)
    return float(masked_mse(module(x, pos, kind, mask), y, mask))


#: Windows per forward pass at inference (fixed, so that a window's output
#: does not depend on how many came with it).
SPATIAL_BATCH = 8


@torch.inference_mode()
def predict_spatial(module, x, pos, kind, *, device="cpu",
                    batch_size=SPATIAL_BATCH):
    """Run a :class:`SpatialNet` on windows of one montage.

    Parameters
    ----------
    module : SpatialNet
        The network.
    x : array, shape (n_windows, n_tokens, n_times)
        Standardized windows (EEG channels, then references).
    pos : array, shape (n_tokens, 3)
        Unit directions of the tokens (any value for non-EEG tokens).
    kind : array of int, shape (n_tokens,)
        Token kinds.
    device : str
        Torch device.
    batch_size : int
        Windows per pass; the last batch is zero-padded to it, so that a
        window's output does not depend on the other windows of the call
        (to float32 rounding: the CPU's matrix kernels may round a row
        differently by its place in the batch, about 1e-7).

    Returns
    -------
    denoised : array, shape (n_windows, n_tokens, n_times)
        Float64.
    """
    module.eval()
    n, c, t = x.shape
    out = np.empty((n, c, t), dtype=np.float64)
    pos_t = torch.as_tensor(pos, dtype=torch.float32, device=device)
    kind_t = torch.as_tensor(kind, dtype=torch.long, device=device)
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        xb = torch.zeros((batch_size, c, t), dtype=torch.float32, device=device)
        xb[: stop - start] = torch.as_tensor(x[start:stop], dtype=torch.float32,
                                             device=device)
        mask = torch.ones((batch_size, c), dtype=torch.bool, device=device)
        y = module(xb, pos_t.expand(batch_size, c, 3), kind_t.expand(batch_size, c),
                   mask)
        out[start:stop] = y[: stop - start].double().cpu().numpy()
    return out
