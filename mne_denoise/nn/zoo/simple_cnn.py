# License: BSD-3-Clause
"""EEGdenoiseNet's simple convolutional network (Zhang et al., 2021)."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int, _check_option
from ._common import apply_head, as_3d, output_head


class SimpleCNN(nn.Module):
    """Simple convolutional denoising network of the EEGdenoiseNet benchmark.

    ``n_layers`` blocks of 1-D convolution (``channels`` filters of
    ``kernel_size``, "same" padding), batch normalisation, ReLU and dropout,
    then a head. The published head flattens the feature maps into one dense
    layer of ``n_times`` units (``head="dense"``, about ``channels * n_times
    ** 2`` weights: 16.8 M at the defaults); ``head="conv"`` replaces it by a
    per-time-step 1x1 convolution, for a small, length-agnostic network.

    Parameters
    ----------
    n_times : int
        Samples per segment.
    channels : int
        Filters per convolution (published: 64).
    n_layers : int
        Convolution blocks (published: 4).
    kernel_size : int
        Convolution width (published: 3).
    dropout : float
        Dropout after each block (published: 0.3).
    head : ``"dense"`` | ``"conv"``
        Output layer, see above.

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch, 1, n_times)``. With
    ``head="dense"`` only the length the network was built for is accepted;
    ``head="conv"`` takes any length.

    References
    ----------
    .. [1] Zhang H., Zhao M., Wei C., Mantini D., Li Z., Liu Q. (2021).
       EEGdenoiseNet: a benchmark dataset for deep learning solutions of EEG
       denoising. J. Neural Eng. 18, 056057.
    """

    def __init__(self, n_times=512, *, channels=64, n_layers=4, kernel_size=3,
                 dropout=0.3, head="dense"):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        _check_int(channels, "channels", minimum=1)
        _check_int(n_layers, "n_layers", minimum=1)
        self.head_kind = _check_option("head", head, ("dense", "conv"))
        blocks, c_in = [], 1
        for _ in range(n_layers):
            blocks += [
                nn.Conv1d(c_in, channels, kernel_size, padding="same"),
                nn.BatchNorm1d(channels),
                nn.ReLU(),
                nn.Dropout(dropout),
            ]
            c_in = channels
        self.features = nn.Sequential(*blocks)
        self.head = output_head(head, channels, n_times)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        h = self.features(x)
        return apply_head(self, x, h)
