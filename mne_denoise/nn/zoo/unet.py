# License: BSD-3-Clause
"""A 1-D U-Net for single-channel EEG denoising."""

from __future__ import annotations

import torch
from torch import nn

from ...utils._checks import _check_int
from ._common import as_3d


def _double_conv(c_in, c_out, kernel_size):
    return nn.Sequential(
        nn.Conv1d(c_in, c_out, kernel_size, padding="same"),
        nn.BatchNorm1d(c_out), nn.ReLU(),
        nn.Conv1d(c_out, c_out, kernel_size, padding="same"),
        nn.BatchNorm1d(c_out), nn.ReLU(),
    )


class UNet1d(nn.Module):
    """1-D U-Net (Ronneberger et al., 2015, on time series).

    An encoder of ``depth`` levels (two conv-BN-ReLU layers, then max-pooling
    by 2; the width doubles at each level, starting from ``channels``), a
    bottleneck, and a decoder that upsamples with transposed convolutions and
    concatenates the encoder features of the same level (skip connections)
    before two more conv-BN-ReLU layers; a 1x1 convolution gives the
    denoised segment. U-Nets are the most common fully convolutional family
    in the EEG-denoising surveys.

    Parameters
    ----------
    n_times : int
        Samples per segment (the network accepts any length: the input is
        zero-padded to a multiple of ``2 ** depth`` and cropped back).
    depth : int
        Pooling levels.
    channels : int
        Width of the first level.
    kernel_size : int
        Convolution width.

    Notes
    -----
    Input ``(batch, 1, n_times)``; output ``(batch, 1, n_times)``.

    References
    ----------
    .. [1] Ronneberger O., Fischer P., Brox T. (2015). U-Net: convolutional
       networks for biomedical image segmentation. MICCAI, 234-241.
    .. [2] Chuang C.-H. et al. (2022). IC-U-Net: a U-Net-based denoising
       autoencoder using mixtures of independent components for automatic
       EEG artifact removal. NeuroImage 263, 119586.
    """

    def __init__(self, n_times=512, *, depth=4, channels=16, kernel_size=7):
        super().__init__()
        self.n_times = _check_int(n_times, "n_times", minimum=1)
        self.depth = _check_int(depth, "depth", minimum=1)
        _check_int(channels, "channels", minimum=1)
        widths = [channels * 2**i for i in range(depth + 1)]
        self.down = nn.ModuleList()
        c_in = 1
        for w in widths[:-1]:
            self.down.append(_double_conv(c_in, w, kernel_size))
            c_in = w
        self.pool = nn.MaxPool1d(2)
        self.bottleneck = _double_conv(widths[-2], widths[-1], kernel_size)
        self.upsample = nn.ModuleList()
        self.up = nn.ModuleList()
        for w_low, w in zip(widths[:0:-1], widths[-2::-1], strict=True):
            self.upsample.append(nn.ConvTranspose1d(w_low, w, 2, stride=2))
            self.up.append(_double_conv(2 * w, w, kernel_size))
        self.out = nn.Conv1d(channels, 1, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Denoise ``(batch, 1, n_times)`` segments."""
        x = as_3d(x)
        n = x.shape[-1]
        step = 2**self.depth
        h = nn.functional.pad(x, (0, (-n) % step))
        skips = []
        for block in self.down:
            h = block(h)
            skips.append(h)
            h = self.pool(h)
        h = self.bottleneck(h)
        for upsample, block, skip in zip(self.upsample, self.up, reversed(skips),
                                             strict=True):
            h = block(torch.cat([upsample(h), skip], dim=1))
        return self.out(h)[..., :n]
