# License: BSD-3-Clause
"""Principal component pursuit and the trajectory (Hankel) embedding (NumPy only).

The maths behind :class:`~mne_denoise.LowRankDenoiser`, kept apart from the
estimator so that it can be read (and tested) on its own:

* :func:`hankel` / :func:`diagonal_average` embed a signal in its trajectory
  matrix and bring a matrix back to a signal (singular spectrum analysis'
  embedding and its adjoint, normalised so that
  ``diagonal_average(hankel(x, d), n) == x``);
* :func:`pcp` solves principal component pursuit, ``min ||L||_* + lam
  ||S||_1  s.t.  L + S = M``, with the inexact augmented Lagrangian method
  (singular value thresholding and soft thresholding), on a stack of
  matrices at once.
"""

import numpy as np
from threadpoolctl import threadpool_limits

#: Growth of the penalty ``mu`` per iteration and its cap relative to the
#: start (Lin, Chen & Ma 2010, Algorithm 5).
_RHO = 1.5
_MU_CAP = 1e7


def hankel(x, dim):
    """Trajectory matrices of signals.

    Parameters
    ----------
    x : array, shape (..., n_times)
        Signals.
    dim : int
        Embedding dimension (rows), ``1 <= dim <= n_times``.

    Returns
    -------
    H : array, shape (..., dim, n_times - dim + 1)
        ``H[..., i, j] = x[..., i + j]`` (constant anti-diagonals).
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    idx = np.arange(dim)[:, np.newaxis] + np.arange(n - dim + 1)
    return x[..., idx]


def diagonal_average(H, n_times):
    """Average the anti-diagonals of matrices back into signals.

    The left inverse of :func:`hankel`: a trajectory matrix gives its signal
    back exactly, any other matrix gives the signal whose trajectory matrix
    is closest to it in Frobenius norm.

    Parameters
    ----------
    H : array, shape (..., dim, n_times - dim + 1)
        Matrices.
    n_times : int
        Length of the signals.

    Returns
    -------
    x : array, shape (..., n_times)
    """
    dim, k = H.shape[-2:]
    out = np.zeros(H.shape[:-2] + (n_times,))
    count = np.zeros(n_times)
    for i in range(dim):
        out[..., i:i + k] += H[..., i, :]
        count[i:i + k] += 1
    return out / count


def default_lam(shape):
    """Candès et al.'s ``1 / sqrt(max(m, n))`` for an ``m x n`` matrix."""
    return 1.0 / np.sqrt(max(shape[-2:]))


def _soft(x, thresh):
    return np.sign(x) * np.maximum(np.abs(x) - thresh, 0.0)


def _svt(x, thresh):
    """Singular value thresholding of a stack of matrices (real SVDs)."""
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    s = np.maximum(s - thresh[:, np.newaxis], 0.0)
    return (u * s[:, np.newaxis, :]) @ vt


def pcp(M, lam, *, n_iter=50, tol=1e-5, record=None):
    """Principal component pursuit by the inexact augmented Lagrangian method.

    Solves ``min ||L||_* + lam * ||S||_1`` subject to ``L + S = M`` for each
    matrix of a stack, alternating soft thresholding (the S-update), singular
    value thresholding (the L-update) and a multiplier step, with a penalty
    that grows geometrically (Lin, Chen & Ma 2010). Matrices stop being
    updated once their relative residual ``||M - L - S||_F / ||M||_F`` is
    below ``tol``.

    Parameters
    ----------
    M : array, shape (n_matrices, m, n)
        Matrices to decompose.
    lam : float
        Weight of the l1 norm.
    n_iter : int
        Maximum number of iterations.
    tol : float
        Relative residual at which a matrix has converged.
    record : callable | None
        ``record(L, S)`` is called after every iteration and what it returns
        is kept (e.g. the iterates brought back to signals, which are much
        smaller than the matrices).

    Returns
    -------
    L, S : array, shape (n_matrices, m, n)
        Low-rank and sparse parts.
    info : dict
        ``n_iter`` (iterations run per matrix, array of int), ``residual``
        (final relative residual per matrix) and ``history``: what
        ``record`` returned at each iteration (converged matrices repeat
        their last iterate; empty without ``record``).
    """
    M = np.asarray(M, dtype=np.float64)
    n_mat = M.shape[0]
    # Small matrices, many of them: one BLAS thread per SVD is faster than
    # several threads fighting over a 64 x 449 problem (about 10x on a busy
    # 2-core machine), and the stack is already the unit of work.
    with threadpool_limits(limits=1, user_api="blas"):
        norm_two = np.linalg.svd(M, compute_uv=False)[:, 0]
        norm_fro = np.linalg.norm(M, axis=(1, 2))
        # A flat (all-zero) matrix is already decomposed: L = S = 0.
        live = norm_fro > 0
        safe_two = np.where(live, norm_two, 1.0)
        norm_inf = np.abs(M).max(axis=(1, 2)) / lam
        Y = M / np.maximum(safe_two, norm_inf + ~live)[:, None, None]
        mu = 1.25 / safe_two
        mu_cap = mu * _MU_CAP
        L = np.zeros_like(M)
        S = np.zeros_like(M)
        n_run = np.zeros(n_mat, dtype=int)
        residual = np.where(live, 1.0, 0.0)
        active = np.flatnonzero(live)
        history = []
        for _ in range(n_iter):
            if active.size == 0:
                break
            a = active
            Ma, Ya, mua = M[a], Y[a], mu[a][:, None, None]
            Sa = _soft(Ma - L[a] + Ya / mua, lam / mua)
            La = _svt(Ma - Sa + Ya / mua, 1.0 / mu[a])
            Z = Ma - La - Sa
            Y[a] = Ya + mua * Z
            L[a], S[a] = La, Sa
            mu[a] = np.minimum(mu[a] * _RHO, mu_cap[a])
            n_run[a] += 1
            residual[a] = np.linalg.norm(Z, axis=(1, 2)) / norm_fro[a]
            active = a[residual[a] >= tol]
            if record is not None:
                history.append(record(L, S))
    return L, S, {"n_iter": n_run, "residual": residual, "history": history}
