# License: BSD-3-Clause
"""Small helpers shared by the zoo networks (torch only)."""

import torch
from torch import nn


def as_3d(x: torch.Tensor) -> torch.Tensor:
    """Accept ``(batch, n_times)`` as well as ``(batch, 1, n_times)``."""
    if x.ndim == 2:
        return x.unsqueeze(1)
    if x.ndim != 3 or x.shape[1] != 1:
        raise ValueError(
            "Expected a tensor of shape (batch, 1, n_times) (single-channel "
            f"segments), got {tuple(x.shape)}."
        )
    return x


def check_length(x: torch.Tensor, n_times: int, name: str) -> None:
    """Networks with a dense head only take the length they were built for."""
    if x.shape[-1] != n_times:
        raise ValueError(
            f"{name} was built for n_times={n_times} (its dense head depends on "
            f"it) but got segments of {x.shape[-1]} samples."
        )


def dense_stack(n_in: int, width: int, n_hidden: int, n_out: int,
                dropout: float) -> nn.Sequential:
    """``n_hidden`` dense layers of ``width`` units (ReLU, dropout), then ``n_out``.

    The dense part of EEGdenoiseNet's fully connected and LSTM networks.
    """
    layers = []
    for _ in range(n_hidden):
        layers += [nn.Linear(n_in, width), nn.ReLU(), nn.Dropout(dropout)]
        n_in = width
    layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers)


def output_head(kind: str, channels: int, n_times: int) -> nn.Module:
    """The output layer of EEGdenoiseNet's convolutional networks.

    ``"dense"`` (published) flattens the ``channels`` feature maps into one
    dense layer of ``n_times`` units; ``"conv"`` is a per-time-step 1x1
    convolution that takes any length. ``kind`` is checked by the caller,
    before any layer is built.
    """
    if kind == "dense":
        return nn.Linear(channels * n_times, n_times)
    return nn.Conv1d(channels, 1, kernel_size=1)


def apply_head(net: nn.Module, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """Apply ``net.head`` (:func:`output_head`) to the feature maps ``h`` of ``x``."""
    if net.head_kind == "conv":
        return net.head(h)
    check_length(x, net.n_times, type(net).__name__)
    return net.head(h.flatten(1)).unsqueeze(1)
