# License: BSD-3-Clause
"""EEGdenoiseNet's complex (residual) convolutional network (Zhang et al., 2021)."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int, _check_option
from ._common import apply_head, as_3d, output_head


def _conv_bn_relu(c_in, c_out, kernel_size):
    return [nn.Conv1d(c_in, c_out, kernel_size, padding="same"),
            nn.BatchNorm1d(c_out), nn.ReLU()]


class ResidualBlock(nn.Module):
    """Three conv-BN-ReLU layers (``c -> bottleneck -> c``) plus the identity.

    Parameters
    ----------
    channels : int
        Channels of the input and output.
    bottleneck : int
        Channels of the middle layer.
    kernel_size : int
        Kernel size of the three convolutions.

    Notes
    -----
    Input and output ``(batch, channels, n_times)``.
    """

    def __init__(self, channels, bottleneck, kernel_size):
        super().__init__()
        self.body = nn.Sequential(
            *_conv_bn_relu(channels, channels, kernel_size),
            *_conv_bn_relu(channels, bottleneck, kernel_size),
            *_conv_bn_relu(bottleneck, channels, kernel_size),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``x + body(x)``."""
        return x + self.body(x)


class ComplexCNN(nn.Module):
    """Residual multi-scale convolutional network of the EEGdenoiseNet benchmark.

    A stem convolution (``channels`` filters of width 5, BN, ReLU) feeds
    parallel branches, one per kernel size, each a stack of ``n_blocks``
    residual blocks (:class:`ResidualBlock`); the branches are concatenated,
    fused by a 1x1 convolution (BN, ReLU) and a head turns them into the
    denoised segment. The published head flattens into a dense layer of
    ``n_times`` units (``head="dense"``, 8.4 M weights at the defaults);
    ``head="conv"`` is a per-time-step 1x1 convolution instead.

    Parameters
    ----------
    n_times : int
        Samples per segment.
    channels : int
        Width of the stem, the blocks and the fusion (published: 32).
    bottleneck : int
        Width of each block's middle convolution (published: 16).
    kernel_sizes : tuple of int
        One branch per kernel size (published: 3, 5, 7).
    n_blocks : int
        Residual blocks per branch (published: 2).
    head : ``"dense"`` | ``"conv"``
        Output layer, see above; as for :class:`SimpleCNN`, only the
        ``"conv"`` head takes segments of another length than ``n_times``.

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch, 1, n_times)``. Built
    after the reference implementation that accompanies the paper.

    References
    ----------
    .. [1] Zhang H., Zhao M., Wei C., Mantini D., Li Z., Liu Q. (2021).
       EEGdenoiseNet: a benchmark dataset for deep learning solutions of EEG
       denoising. J. Neural Eng. 18, 056057.
    """

    def __init__(self, n_times=512, *, channels=32, bottleneck=16,
                 kernel_sizes=(3, 5, 7), n_blocks=2, head="dense"):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        _check_int(channels, "channels", minimum=1)
        _check_int(n_blocks, "n_blocks", minimum=1)
        self.head_kind = _check_option("head", head, ("dense", "conv"))
        kernel_sizes = tuple(kernel_sizes)
        self.stem = nn.Sequential(*_conv_bn_relu(1, channels, 5))
        self.branches = nn.ModuleList(
            nn.Sequential(*[ResidualBlock(channels, bottleneck, k)
                            for _ in range(n_blocks)])
            for k in kernel_sizes
        )
        self.fuse = nn.Sequential(
            *_conv_bn_relu(channels * len(kernel_sizes), channels, 1))
        self.head = output_head(head, channels, n_times)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        h = self.stem(x)
        h = self.fuse(torch.cat([branch(h) for branch in self.branches], dim=1))
        return apply_head(self, x, h)
