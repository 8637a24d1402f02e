# License: BSD-3-Clause
"""Small helpers shared by the zoo networks (torch only)."""

import torch


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


def check_int(value, name, minimum=1):
    """Raise a ValueError naming the argument unless ``value >= minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return value
