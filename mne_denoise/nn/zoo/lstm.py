# License: BSD-3-Clause
"""EEGdenoiseNet's recurrent (LSTM) network (Zhang et al., 2021)."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d, check_length, dense_stack


class LSTMNet(nn.Module):
    """LSTM denoising network of the EEGdenoiseNet benchmark.

    An LSTM reads the segment sample by sample and returns its hidden state
    at every time step (``hidden`` units, published: 1); the states are
    flattened and go through dense layers (``n_dense`` hidden layers of
    ``dense`` units with ReLU and dropout, then an output layer of
    ``n_times`` units). The defaults are the published network.

    Parameters
    ----------
    n_times : int
        Samples per segment.
    hidden : int
        LSTM units (published: 1).
    dense : int | None
        Units of the hidden dense layers; None means ``n_times``.
    n_dense : int
        Hidden dense layers (published: 2).
    dropout : float
        Dropout after each hidden dense layer (published: 0.3).

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch, 1, n_times)``. The dense
    layers read the states of all time steps at once, so the network only
    takes the length it was built for.

    References
    ----------
    .. [1] Zhang H., Zhao M., Wei C., Mantini D., Li Z., Liu Q. (2021).
       EEGdenoiseNet: a benchmark dataset for deep learning solutions of EEG
       denoising. J. Neural Eng. 18, 056057.
    """

    def __init__(self, n_times=512, *, hidden=1, dense=None, n_dense=2, dropout=0.3):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        _check_int(hidden, "hidden", minimum=1)
        _check_int(n_dense, "n_dense", minimum=0)
        dense = (n_times if dense is None
                 else _check_int(dense, "dense", minimum=1))
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = dense_stack(hidden * n_times, dense, n_dense, n_times, dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        check_length(x, self.n_times, type(self).__name__)
        states, _ = self.lstm(x.transpose(1, 2))  # (batch, n_times, hidden)
        return self.head(states.flatten(1)).unsqueeze(1)
