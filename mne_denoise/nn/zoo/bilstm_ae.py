# License: BSD-3-Clause
"""A bidirectional-LSTM sequence autoencoder for EEG denoising."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d


class BiLSTMAutoencoder(nn.Module):
    """Bidirectional-LSTM denoising autoencoder over short frames.

    The segment is cut into non-overlapping frames of ``frame`` samples (the
    recurrence then runs over ``n_times / frame`` steps, which keeps it fast
    and eases long-range memory). A bidirectional LSTM encoder reads the
    frames, a linear layer squeezes each step into a ``latent``-dimensional
    code (the bottleneck), a bidirectional LSTM decoder reads the codes and a
    linear layer turns each step back into a frame.

    Parameters
    ----------
    n_times : int
        Samples per segment (any length works: the input is zero-padded to a
        multiple of ``frame`` and cropped back).
    frame : int
        Samples per recurrence step.
    hidden : int
        LSTM units per direction.
    latent : int
        Size of the per-step code.
    n_layers : int
        Stacked LSTM layers in the encoder and in the decoder.

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch, 1, n_times)``.

    References
    ----------
    .. [1] Sutskever I., Vinyals O., Le Q. V. (2014). Sequence to sequence
       learning with neural networks. NeurIPS.
    .. [2] Hochreiter S., Schmidhuber J. (1997). Long short-term memory.
       Neural Comput. 9, 1735-1780.
    """

    def __init__(self, n_times=512, *, frame=8, hidden=64, latent=16, n_layers=1):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        self.frame = _check_int(frame, "frame", minimum=1)
        _check_int(hidden, "hidden", minimum=1)
        _check_int(latent, "latent", minimum=1)
        _check_int(n_layers, "n_layers", minimum=1)
        self.encoder = nn.LSTM(frame, hidden, n_layers, batch_first=True,
                               bidirectional=True)
        self.to_latent = nn.Linear(2 * hidden, latent)
        self.decoder = nn.LSTM(latent, hidden, n_layers, batch_first=True,
                               bidirectional=True)
        self.to_frame = nn.Linear(2 * hidden, frame)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        n = x.shape[-1]
        h = nn.functional.pad(x[:, 0], (0, (-n) % self.frame))
        h = h.view(h.shape[0], -1, self.frame)  # (batch, n_steps, frame)
        h, _ = self.encoder(h)
        code = torch.tanh(self.to_latent(h))
        h, _ = self.decoder(code)
        out = self.to_frame(h).reshape(x.shape[0], 1, -1)
        return out[..., :n]
