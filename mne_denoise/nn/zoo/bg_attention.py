# License: BSD-3-Clause
"""BG-Attention: bidirectional GRUs around multi-head self-attention.

Wang, Li & Wang (2022), "A novel end-to-end network based on a bidirectional
GRU and a self-attention mechanism for denoising of electroencephalography
signals", Neuroscience 505, 10-20.
"""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d


class BGAttentionNet(nn.Module):
    """Bidirectional GRU + self-attention denoiser (BG-Attention).

    End to end on the raw segment, cut into time steps of ``frame`` samples:

    1. a bidirectional GRU encoder (``hidden`` units per direction) turns the
       segment into ``2 * hidden`` features per time step;
    2. multi-head self-attention over the time steps (``n_heads`` heads),
       added back to its input (residual) and layer-normalised, then a
       position-wise feed-forward layer, again residual and layer-normalised
       (a transformer encoder block);
    3. a second bidirectional GRU stage;
    4. a per-time-step linear projection back to the ``frame`` samples of
       the step (no flatten-to-dense head, so the network has few parameters
       and takes any length).

    Parameters
    ----------
    n_times : int
        Samples per segment (kept for the estimators' contract; the network
        itself accepts any length, zero-padded to a multiple of ``frame`` and
        cropped back).
    hidden : int
        GRU units per direction; the attention works on ``2 * hidden``
        features.
    n_heads : int
        Attention heads (must divide ``2 * hidden``).
    ff_mult : int
        Width of the feed-forward layer, as a multiple of ``2 * hidden``.
    dropout : float
        Dropout after the attention and the feed-forward layer.
    frame : int
        Samples per time step. ``frame=1`` runs the recurrences and the
        attention over single samples; the default of 4 makes the attention
        16 times and the GRUs 4 times cheaper (on a CPU, attention over 512
        single samples is ~10 times slower to train).

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch, 1, n_times)``. The paper
    gives the architecture but not every size; the defaults here are chosen
    to train on a CPU (0.23 M parameters).

    References
    ----------
    .. [1] Wang W., Li B., Wang H. (2022). A novel end-to-end network based
       on a bidirectional GRU and a self-attention mechanism for denoising of
       electroencephalography signals. Neuroscience 505, 10-20.
    """

    def __init__(self, n_times=512, *, hidden=64, n_heads=4, ff_mult=2, dropout=0.1,
                 frame=4):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        _check_int(hidden, "hidden", minimum=1)
        _check_int(n_heads, "n_heads", minimum=1)
        d = 2 * hidden
        if d % n_heads:
            raise ValueError(
                f"n_heads={n_heads} must divide the attention width 2 * hidden = {d}."
            )
        self.frame = _check_int(frame, "frame", minimum=1)
        self.encoder = nn.GRU(frame, hidden, batch_first=True, bidirectional=True)
        # No dropout on the attention weights: on a CPU, drawing a mask of
        # n_steps ** 2 per head costs more than the attention itself.
        self.attention = nn.MultiheadAttention(d, n_heads, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.norm1 = nn.LayerNorm(d)
        self.feed_forward = nn.Sequential(
            nn.Linear(d, ff_mult * d), nn.ReLU(), nn.Linear(ff_mult * d, d))
        self.norm2 = nn.LayerNorm(d)
        self.decoder = nn.GRU(d, hidden, batch_first=True, bidirectional=True)
        self.project = nn.Linear(d, frame)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        n = x.shape[-1]
        h = nn.functional.pad(x[:, 0], (0, (-n) % self.frame))
        h = h.view(h.shape[0], -1, self.frame)  # (batch, n_steps, frame)
        h, _ = self.encoder(h)  # (batch, n_steps, 2 * hidden)
        a, _ = self.attention(h, h, h, need_weights=False)
        h = self.norm1(h + self.drop(a))
        h = self.norm2(h + self.drop(self.feed_forward(h)))
        h, _ = self.decoder(h)
        return self.project(h).reshape(x.shape[0], 1, -1)[..., :n]
