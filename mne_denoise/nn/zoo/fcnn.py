# License: BSD-3-Clause
"""EEGdenoiseNet's fully connected network (Zhang et al., 2021)."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d, check_length, dense_stack


class FCNN(nn.Module):
    """Fully connected denoising network of the EEGdenoiseNet benchmark.

    ``n_hidden_layers`` dense layers of ``hidden`` units (ReLU, dropout),
    then a dense output layer of ``n_times`` units. With the defaults this is
    the published network: four dense layers of ``n_times`` units, dropout
    0.3.

    Parameters
    ----------
    n_times : int
        Samples per segment (input and output length).
    hidden : int | None
        Units per hidden layer; None means ``n_times`` (published).
    n_hidden_layers : int
        Hidden layers before the output layer (published: 3).
    dropout : float
        Dropout after each hidden layer (published: 0.3).

    Notes
    -----
    Input ``(batch, 1, n_times)`` (or ``(batch, n_times)``); output
    ``(batch, 1, n_times)``, the denoised segment.

    References
    ----------
    .. [1] Zhang H., Zhao M., Wei C., Mantini D., Li Z., Liu Q. (2021).
       EEGdenoiseNet: a benchmark dataset for deep learning solutions of EEG
       denoising. J. Neural Eng. 18, 056057.
    """

    def __init__(self, n_times=512, *, hidden=None, n_hidden_layers=3, dropout=0.3):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        hidden = (n_times if hidden is None
                  else _check_int(hidden, "hidden", minimum=1))
        _check_int(n_hidden_layers, "n_hidden_layers", minimum=0)
        self.layers = dense_stack(n_times, hidden, n_hidden_layers, n_times, dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        check_length(x, self.n_times, type(self).__name__)
        return self.layers(x[:, 0]).unsqueeze(1)
