# License: BSD-3-Clause
"""Deep unfolding of low-rank + sparse recovery (after Yue et al., 2025).

Yue, Lu, Liu & Zang (2025). "LRR-UNet: A Deep Unfolding Network With
Low-Rank Recovery for EEG Signal Denoising". Only the paper's abstract is
public: it unrolls the iterations of low-rank recovery (principal component
pursuit solved by an augmented Lagrangian method) into network stages and
replaces the singular value decomposition and the sparse step by learnable
modules, U-Net-style for the low-rank projection. **Everything below that
goes beyond that sentence is this package's own design**, not the paper's.

The segment ``x`` (one channel, ``n_times`` samples) is seen through its
trajectory (Hankel) matrix ``H(x)`` of ``embed_dim`` rows, and every stage
``k`` performs the three updates of the augmented Lagrangian method on
signals (all matrices in play are trajectory matrices, so each is held as
its signal, and ``D`` below is diagonal averaging), starting from
``l = s = y = 0``::

    y = y + eta_k * (x - l - s)             # multiplier update
    v = x - s + y / mu_k
    l = D(U_k (G_k(v, s) * U_k^T H(v)))     # L-update (was: SVT)
    u = x - l + y / mu_k
    s = soft(u, theta_k(u, l))              # S-update (was: soft(u, lam/mu))

The multiplier step opens each stage rather than closing it (a cyclic
reordering of the method's updates): the first one, ``y = eta_1 * x``, is the
classical initialization ``Y_0 = M / J(M)`` with a learned scale, and every
stage's step size has an effect on the output.

* **L-update.** Singular value thresholding ``U diag(soft(sigma)) V^T``
  projects the matrix onto its leading singular vectors and shrinks their
  weights. Here ``U_k`` (``embed_dim x rank``) is a learned basis, initialized
  with the ``rank`` lowest-frequency cosines (the singular vectors of a
  stationary process' trajectory matrix tend to sinusoids), and the
  weights ``G_k`` in (0, 1), one per basis vector and matrix column, come
  from a small 1-D U-Net that reads the current ``v``, ``s`` and the
  magnitudes of the coefficients ``U_k^T H(v)``. The matrix
  ``U_k (G_k * U_k^T H(v))`` has rank at most ``rank`` by construction:
  each stage's low-rank estimate is really low-rank in the embedding. The
  default ``rank`` (32 of 64) is set by what the brain signal needs: clean
  EEG windows keep much of their power above 30 Hz, which too few of the
  lowest-frequency cosines cannot represent, so a smaller rank would discard
  brain signal along with the artifact. What the trained network achieves
  is reported in its model card (:ref:`model-cards`), not here, so that the
  figures are those of the shipped weights.
  ``U_k^T H(v)`` is a convolution with the basis as filters, and diagonal
  averaging of ``U_k Z`` a transposed convolution, so no matrix is formed.
* **S-update.** Entrywise soft thresholding of a trajectory matrix is the
  trajectory matrix of the soft-thresholded signal; the threshold
  ``theta_k = softplus(tau_k + t_k(u, l))`` has a learnable level ``tau_k``
  and a learnable local modulation ``t_k`` (two convolutions).
* **Multiplier update** with learnable positive penalty ``mu_k`` and step
  ``eta_k``. The network also returns the final constraint residual
  ``x - l - s``, which the training loss keeps small, as the augmented
  Lagrangian method drives it to zero.

The low-rank part holds the brain signal and the sparse part the artifact:
unlike SVT, whose ordering by energy puts a dominant artifact first, the
learned weights choose *which* components to keep (see the estimator's
notes for the measurements behind this assignment).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..utils._checks import _check_int
from .losses import DenoisingLoss


def _cosine_basis(dim: int, rank: int) -> torch.Tensor:
    """The ``rank`` lowest-frequency orthonormal DCT-II vectors of length ``dim``."""
    n = torch.arange(dim, dtype=torch.float64)
    basis = torch.stack([torch.cos(math.pi * (n + 0.5) * k / dim)
                         for k in range(rank)])
    basis /= basis.norm(dim=1, keepdim=True)
    return basis.float()


class _UNet1d(nn.Module):
    """A small 1-D U-Net at a reduced rate: ``(batch, c_in, n) -> (batch, c_out, n)``.

    A strided convolution (learned, so that it can keep high-frequency power
    as well as the waveform) brings the input to ``n / stride`` samples,
    where the U-Net runs; its output is interpolated back to ``n`` samples.
    Weights that vary over tens of milliseconds need no more, and the
    network is ``stride`` times cheaper for it.
    """

    def __init__(self, c_in: int, c_out: int, hidden: int, depth: int, *,
                 stride: int = 4, kernel_size: int = 7):
        super().__init__()
        pad = kernel_size // 2
        widths = [hidden * 2**min(i, 2) for i in range(depth + 1)]
        self.stride = stride
        self.front = nn.Sequential(
            nn.Conv1d(c_in, widths[0], 2 * stride, stride=stride,
                      padding=stride // 2), nn.ELU())
        self.down = nn.ModuleList()
        ch = widths[0]
        for w in widths:
            self.down.append(nn.Sequential(
                nn.Conv1d(ch, w, kernel_size, padding=pad), nn.ELU()))
            ch = w
        self.up = nn.ModuleList()
        for w in reversed(widths[:-1]):
            self.up.append(nn.Sequential(
                nn.Conv1d(ch + w, w, kernel_size, padding=pad), nn.ELU()))
            ch = w
        self.head = nn.Conv1d(ch, c_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = x.shape[-1]
        x = self.front(x)
        skips = []
        for i, block in enumerate(self.down):
            if i:
                x = nn.functional.avg_pool1d(x, 2, ceil_mode=True)
            x = block(x)
            skips.append(x)
        for block, skip in zip(self.up, reversed(skips[:-1]), strict=True):
            x = nn.functional.interpolate(x, size=skip.shape[-1], mode="linear",
                                          align_corners=False)
            x = block(torch.cat([x, skip], dim=1))
        x = self.head(x)
        return nn.functional.interpolate(x, size=n, mode="linear",
                                         align_corners=False)


class UnfoldedStage(nn.Module):
    """One stage: L-update, S-update and multiplier update.

    Parameters
    ----------
    n_times : int
        Samples per segment.
    embed_dim : int
        Rows of the trajectory matrix.
    rank : int
        Size of the learned basis, the largest rank of the low-rank estimate.
    hidden, depth : int
        Width and number of downsamplings of the U-Net that weighs the basis.
    """

    def __init__(self, n_times: int, embed_dim: int, rank: int, hidden: int,
                 depth: int):
        super().__init__()
        self.n_times, self.embed_dim = n_times, embed_dim
        self.basis = nn.Parameter(_cosine_basis(embed_dim, rank)[:, None, :])
        self.weigher = _UNet1d(2 + rank, rank, hidden, depth)
        # Start with every basis vector kept (sigmoid(2) ~ 0.88).
        nn.init.zeros_(self.weigher.head.weight)
        nn.init.constant_(self.weigher.head.bias, 2.0)
        self.threshold = nn.Sequential(
            nn.Conv1d(2, 4, 9, padding=4), nn.ELU(), nn.Conv1d(4, 1, 9, padding=4))
        nn.init.zeros_(self.threshold[-1].weight)
        nn.init.zeros_(self.threshold[-1].bias)
        # softplus(-1.5) ~ 0.2 standard deviations: the classical lam / mu.
        self.tau = nn.Parameter(torch.tensor(-1.5))
        self.log_mu = nn.Parameter(torch.tensor(0.0))
        # softplus(-2) ~ 0.13: a small first multiplier, as Y_0 = M / J(M).
        self.eta = nn.Parameter(torch.tensor(-2.0))
        count = torch.ones(1, 1, n_times - embed_dim + 1)
        # How many trajectory-matrix entries each sample appears in.
        self.register_buffer(
            "count", nn.functional.conv_transpose1d(
                count, torch.ones(1, 1, embed_dim)), persistent=False)

    def low_rank(self, v: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        """The L-update: a rank-limited, data-weighted projection of ``H(v)``."""
        coef = nn.functional.conv1d(v, self.basis)          # U^T H(v)
        # Column j of H(v) is centred on sample j + embed_dim // 2: align the
        # coefficients' magnitudes (each component's local amplitude, what
        # the weights are decided from) with the signals the U-Net reads.
        start = self.embed_dim // 2
        pad = (start, self.n_times - coef.shape[-1] - start)
        feats = torch.cat([v, s, nn.functional.pad(coef.abs(), pad)], dim=1)
        gains = torch.sigmoid(self.weigher(feats))
        gains = gains[..., start:start + coef.shape[-1]]
        return nn.functional.conv_transpose1d(gains * coef, self.basis) / self.count

    def forward(self, x: torch.Tensor, l: torch.Tensor, s: torch.Tensor,  # noqa: E741
                y: torch.Tensor):
        """Return ``(l, s, y)`` after one stage; all ``(batch, 1, n_times)``."""
        y = y + nn.functional.softplus(self.eta) * (x - l - s)
        mu = torch.exp(self.log_mu)
        l = self.low_rank(x - s + y / mu, s)  # noqa: E741
        u = x - l + y / mu
        theta = nn.functional.softplus(
            self.tau + self.threshold(torch.cat([u, l], dim=1)))
        s = torch.sign(u) * torch.relu(u.abs() - theta)
        return l, s, y


class LowRankUnfoldedNet(nn.Module):
    """Low-rank + sparse recovery unrolled into ``n_stages`` learned stages.

    See the module docstring for the updates of each stage and the paper
    this design starts from.

    Parameters
    ----------
    n_times : int
        Samples per segment.
    n_stages : int
        Unrolled iterations.
    embed_dim : int
        Rows of the trajectory (Hankel) matrix.
    rank : int
        Largest rank of each stage's low-rank estimate in the embedding.
    hidden : int
        Width of the U-Nets' first level (doubling per level, up to 4x).
    depth : int
        Downsamplings in each U-Net.

    Notes
    -----
    Input ``(batch, 1, n_times)`` (or ``(batch, n_times)``), a standardized
    noisy segment. :meth:`forward` returns ``(cleaned, low_rank, sparse,
    residual)``: the cleaned segment ``(batch, 1, n_times)``, which is the
    last stage's low-rank estimate; the low-rank and the sparse estimates of
    every stage, ``(batch, n_stages, n_times)`` each; and the final
    constraint residual ``x - low_rank - sparse``, ``(batch, 1, n_times)``.
    """

    def __init__(self, n_times: int = 512, n_stages: int = 4, *,
                 embed_dim: int = 64, rank: int = 32, hidden: int = 8,
                 depth: int = 2):
        super().__init__()
        if not 1 <= rank <= embed_dim < n_times:
            raise ValueError(
                f"Need 1 <= rank <= embed_dim < n_times, got rank={rank}, "
                f"embed_dim={embed_dim}, n_times={n_times}.")
        _check_int(n_stages, "n_stages", minimum=1)
        self.n_times, self.n_stages = n_times, n_stages
        self.stages = nn.ModuleList(
            UnfoldedStage(n_times, embed_dim, rank, hidden, depth)
            for _ in range(n_stages))

    def forward(self, x: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """Decompose ``x``; see the class notes for the returned shapes."""
        if x.ndim == 2:
            x = x.unsqueeze(1)
        l = torch.zeros_like(x)  # noqa: E741
        s = torch.zeros_like(x)
        y = torch.zeros_like(x)
        ls, ss = [], []
        for stage in self.stages:
            l, s, y = stage(x, l, s, y)  # noqa: E741
            ls.append(l)
            ss.append(s)
        return l, torch.cat(ls, dim=1), torch.cat(ss, dim=1), x - l - s


class UnfoldedLoss(nn.Module):
    """:class:`DenoisingLoss` on the output, deep supervision, constraint residual.

    ``loss(cleaned) + stage_weight * mean_k loss(low_rank_k) + residual_weight
    * mean(residual ** 2)``: the mean runs over the earlier stages, so that
    every stage's low-rank estimate is itself an estimate of the clean
    segment (what makes the stages worth plotting, and the network
    truncatable); the residual ``x - low_rank - sparse`` of the last stage
    is kept small, so that the sparse estimate accounts for what the
    low-rank one leaves.

    Parameters
    ----------
    stage_weight : float
        Weight of the earlier stages' mean loss.
    residual_weight : float
        Weight of the mean squared constraint residual.
    """

    def __init__(self, stage_weight: float = 0.3, residual_weight: float = 0.1):
        super().__init__()
        self.stage_weight = float(stage_weight)
        self.residual_weight = float(residual_weight)
        self.loss = DenoisingLoss()

    def forward(self, y_pred, y_true: torch.Tensor) -> torch.Tensor:
        """Return the scalar loss; ``y_pred`` is the network's tuple or a tensor."""
        if not isinstance(y_pred, tuple | list):
            return self.loss(y_pred, y_true)
        cleaned, low_rank, _, residual = y_pred
        loss = self.loss(cleaned, y_true)
        n = low_rank.shape[1]
        if n > 1 and self.stage_weight > 0:
            target = y_true.reshape(len(y_true), 1, -1)
            early = [self.loss(low_rank[:, k:k + 1], target) for k in range(n - 1)]
            loss = loss + self.stage_weight * torch.stack(early).mean()
        if self.residual_weight > 0:
            loss = loss + self.residual_weight * torch.mean(residual ** 2)
        return loss


@torch.inference_mode()
def predict_stages(module: LowRankUnfoldedNet, x: np.ndarray, *,
                   batch_size: int = 1024, device: str = "cpu") -> np.ndarray:
    """Every stage's low-rank estimate of standardized windows.

    Parameters
    ----------
    module : LowRankUnfoldedNet
        The network.
    x : array, shape (n_windows, n_times)
        Standardized noisy windows.
    batch_size : int
        Windows per forward pass.
    device : str
        Torch device.

    Returns
    -------
    low_rank : array, shape (n_stages, n_windows, n_times)
        Float64; the last stage is the network's output.
    """
    module.eval()
    out = np.empty((module.n_stages,) + x.shape, dtype=np.float64)
    for start in range(0, len(x), batch_size):
        sl = slice(start, start + batch_size)
        xb = torch.as_tensor(x[sl, None], dtype=torch.float32, device=device)
        out[:, sl] = module(xb)[1].double().cpu().numpy().transpose(1, 0, 2)
    return out
