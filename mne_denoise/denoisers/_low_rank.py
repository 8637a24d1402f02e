# License: BSD-3-Clause
"""LowRankDenoiser: principal component pursuit with real SVDs, no training."""

import numpy as np

from ..utils import _windowing
from ..utils._checks import _check_option, _check_positive
from ..utils._docs import fill_doc
from ._base import BaseDenoiser
from ._rpca import default_lam, diagonal_average, hankel, pcp

_PARTS = ("low_rank", "sparse")
#: Default lam as a multiple of 1 / sqrt(max(m, n)), per kept part: the best
#: of 0.25, 0.5, 1 and 2 for ocular ('sparse') and muscle ('low_rank')
#: artifacts on the benchmark pools' validation split (Hankel embedding).
_LAM_FACTOR = {"sparse": 0.5, "low_rank": 1.0}


class _LowRankMixin:
    """``decompose`` and the windowed path shared by the low-rank denoisers.

    Subclasses implement ``_clean_windows(z, stages)``: from standardized
    windows ``z`` (``(n, n_window)``, or ``(n, n_channels, n_window)`` when
    ``_joint`` is True) return the cleaned part of every stage (or only the
    last one when ``stages`` is False) as an array ``(n_stages, *z.shape)``;
    and ``_clean_part_name()``: ``'low_rank'`` or ``'sparse'``, the part that
    holds the cleaned EEG.
    """

    _joint = False
    _stage_label = "stage"

    def _parts(self, data, sfreq, *, stages):
        """Data cleaned by each stage: a list of arrays shaped like ``data``.

        Every stage goes through the same resampling, windowing and
        overlap-add as ``transform`` (the windows are denoised once; later
        passes only reuse the stored stage outputs), so the last entry is
        exactly what ``transform`` returns.
        """
        idx = self.clean_idx_
        n_ep, _, n_times = data.shape
        kw = dict(model_sfreq=self._model_sfreq, n_window=self._n_window,
                  overlap=self.overlap)
        if self._joint:
            signals = [data[:, idx]]
            denoise = _windowing.denoise_epochs_jointly
        else:
            flat = data[:, idx].reshape(-1, n_times)
            # Chunks keep the memory of long recordings bounded.
            signals = [flat[i:i + 2048] for i in range(0, len(flat), 2048)]

            def denoise(x, sfreq, run, **kw):
                return _windowing.denoise_signals(
                    x, sfreq, run=lambda z, _noise: run(z), **kw)

        chunks = []
        for x in signals:
            store = []

            def run(z, store=store):
                store.append(self._clean_windows(z, stages))
                return store[-1][-1]

            last = denoise(x, sfreq, run=run, **kw)
            # No call at all when every signal of the chunk is flat.
            outs = store[0][:-1] if store else []
            chunks.append([denoise(x, sfreq, run=lambda z, o=o: o, **kw)
                           for o in outs] + [last])
        # Chunks may have run different numbers of iterations: the converged
        # ones repeat their last iterate.
        n_out = max(len(c) for c in chunks)
        result = []
        for k in range(n_out):
            cleaned = np.concatenate([c[min(k, len(c) - 1)] for c in chunks])
            out = data.copy()
            out[:, idx] = cleaned.reshape(n_ep, len(idx), n_times)
            result.append(out)
        return result

    def _denoise(self, data, sfreq):
        return self._parts(data, sfreq, stages=False)[-1]

    def decompose(self, X, *, return_stages=False):
        """Split ``X`` into its low-rank and sparse parts.

        Parameters
        ----------
        X : Epochs | list of Epochs | Raw | Evoked | array
            Data with the channels seen at ``fit`` (as for ``transform``).
        return_stages : bool
            Also return the parts after every stage (unrolled stage or solver
            iteration), to see how the decomposition evolves; meant for a few
            epochs (every stage is a full copy of ``X``).

        Returns
        -------
        low_rank, sparse : Epochs | Raw | Evoked | array
            Same type and shape as ``transform(X)``. The part that holds the
            cleaned EEG (see the class notes) *is* ``transform(X)``; the other
            holds what was removed from the EEG channels and zeros on the
            other channels, so that ``low_rank + sparse == X``.
        stages : list of tuple
            Only with ``return_stages=True``: ``(low_rank_k, sparse_k)`` for
            every stage, the last one equal to ``(low_rank, sparse)``.
        """
        data, info, kind = self._transform_input(X)
        parts = self._parts(data, float(info["sfreq"]), stages=return_stages)
        idx = self.clean_idx_
        clean_is_low_rank = self._clean_part_name() == "low_rank"

        def split(cleaned):
            removed = np.zeros_like(data)
            removed[:, idx] = data[:, idx] - cleaned[:, idx]
            low, sparse = (cleaned, removed) if clean_is_low_rank else (
                removed, cleaned)
            return self._wrap(low, X, kind), self._wrap(sparse, X, kind)

        low_rank, sparse = split(parts[-1])
        if not return_stages:
            return low_rank, sparse
        stages = [split(p) for p in parts[:-1]] + [(low_rank, sparse)]
        return low_rank, sparse, stages


@fill_doc
class LowRankDenoiser(_LowRankMixin, BaseDenoiser):
    """Remove EOG or EMG artifacts by low-rank + sparse decomposition (RPCA).

    Each 2-s window is written as a matrix, the trajectory (Hankel) matrix of
    one EEG channel or the channels x time matrix of all EEG channels, and
    split into a low-rank and a sparse part by principal component pursuit,
    ``min ||L||_* + lam ||S||_1  s.t.  L + S = M`` (Candès et al. 2011),
    solved by the inexact augmented Lagrangian method with real singular
    value decompositions (Lin et al. 2010). One part is kept as the cleaned
    EEG (``clean_part``). No training: ``fit`` only records the channels and
    the ``lam`` in use, so the denoiser is an interpretable baseline and the
    speed reference of :class:`LowRankUnfoldedDenoiser`.

    Parameters
    ----------
    %(info_sfreq)s
    embedding : ``'hankel'`` | ``'channels'``
        The matrix of a window: ``'hankel'`` embeds each EEG channel on its
        own in its trajectory matrix (``embed_dim`` rows) and averages the
        anti-diagonals back into a signal; ``'channels'`` decomposes the
        channels x time matrix of all EEG channels together (needs two or
        more EEG channels).
    embed_dim : int
        Rows of the trajectory matrix (samples at 256 Hz; 64 is 0.25 s). Used
        by ``embedding='hankel'``.
    lam : float | None
        Weight of the l1 norm. None uses ``c / sqrt(max(m, n))`` for an
        ``m x n`` matrix, with ``c = 0.5`` for ``clean_part='sparse'`` and
        ``c = 1`` (Candès et al.'s value) for ``clean_part='low_rank'``, the
        best of ``c`` in {0.25, 0.5, 1, 2} on the validation pairs of the
        benchmark pools (see Notes). Larger values give a sparser sparse part
        and a higher-rank low-rank part.
    n_iter : int
        Maximum number of solver iterations per window.
    tol : float
        A window has converged when ``||M - L - S||_F / ||M||_F < tol``.
    clean_part : ``'sparse'`` | ``'low_rank'``
        The part kept as the cleaned EEG: ``'sparse'`` for ocular artifacts
        (they are the low-rank part), ``'low_rank'`` for muscle artifacts
        (they are the sparse part). See Notes.
    %(overlap)s

    Attributes
    ----------
    lam_ : float
        The l1 weight in use.
    %(attributes)s

    See Also
    --------
    LowRankUnfoldedDenoiser : the same decomposition unrolled into learned
        stages, faster and trained for both artifacts at once.
    mne_denoise.viz.plot_decomposition_stages : how the parts evolve over the
        solver's iterations.

    Notes
    -----
    Windows are resampled to 256 Hz, cut into 2-s windows with ``overlap``
    and standardized (per channel, or with one scale for all channels for
    ``embedding='channels'``, which keeps the spatial pattern), decomposed,
    and what was removed is resampled back and subtracted from the input.
    :meth:`decompose` returns both parts; the kept one equals ``transform``,
    the other is its complement (the solver's other part plus the final
    constraint residual, below ``tol``), and the window mean stays with the
    cleaned part. The EOG/EMG channels pass through unchanged: this denoiser
    does not use them.

    Which part holds the artifact depends on the artifact; it was measured
    on the semi-synthetic pairs of the benchmark pools (real EEG, EOG and EMG
    recordings), whose figures are on the benchmark page:

    * Ocular artifacts, slow and large, are captured by a few singular
      components: the low-rank part; the EEG is left in the sparse part.
    * Broadband muscle artifacts (most of their power above 20 Hz) are
      temporally localized bursts that go to the sparse part, while the
      low-rank part keeps the EEG's rhythms.
    * Artifacts dominated by slow components behave like ocular ones, whatever
      their source (the test split's EMG recordings are mostly below 4 Hz),
      and there the sparse part is again the better estimate (neither is
      good).

    The default keeps the sparse part: the right choice for ocular and for
    slow, large artifacts; use ``clean_part='low_rank'`` for broadband
    muscle activity. Since the assignment depends on the artifact, it is a
    parameter; without knowing the artifact, :class:`LowRankUnfoldedDenoiser`,
    which learns the assignment, is the better choice.

    Each iteration takes one SVD per window (``embed_dim x (513 - embed_dim)``
    or ``n_eeg x 512``), with a few tens of iterations to converge: much
    slower than :class:`LowRankUnfoldedDenoiser` (the benchmark page gives
    the measured times).

    References
    ----------
    .. [1] Candès E. J., Li X., Ma Y., Wright J. (2011). Robust principal
       component analysis? Journal of the ACM 58(3), 11.
    .. [2] Lin Z., Chen M., Ma Y. (2010). The augmented Lagrange multiplier
       method for exact recovery of corrupted low-rank matrices.
       arXiv:1009.5055.
    .. [3] Golyandina N., Nekrutkin V., Zhigljavsky A. (2001). Analysis of
       time series structure: SSA and related techniques. Chapman & Hall.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(2, 3, 512)) * 1e-5
    >>> den = LowRankDenoiser(sfreq=256.0, n_iter=10).fit(X)
    >>> low_rank, sparse = den.decompose(X)
    >>> bool(np.allclose(low_rank + sparse, X))
    True
    """

    _unfitted_hint = ("Call fit(inst) first (it learns nothing from the data: it "
                      "records the channels).")
    #: What a stage of ``decompose(..., return_stages=True)`` is, for plots.
    _stage_label = "iteration"

    def __init__(self, info=None, *, sfreq=None, embedding="hankel", embed_dim=64,
                 lam=None, n_iter=50, tol=1e-5, clean_part="sparse", overlap=0.5):
        self.info = info
        self.sfreq = sfreq
        self.embedding = embedding
        self.embed_dim = embed_dim
        self.lam = lam
        self.n_iter = n_iter
        self.tol = tol
        self.clean_part = clean_part
        self.overlap = overlap

    @property
    def _joint(self):
        return self.embedding == "channels"

    def _clean_part_name(self):
        return self.clean_part

    def _check_params(self):
        super()._check_params()
        _check_option("embedding", self.embedding, ("hankel", "channels"))
        _check_option("clean_part", self.clean_part, _PARTS)
        _check_positive(self.embed_dim, "embed_dim", integer=True)
        if not 2 <= self.embed_dim <= self._n_window // 2:
            raise ValueError(
                f"embed_dim must be between 2 and {self._n_window // 2} (samples "
                f"at {self._model_sfreq:g} Hz in a {self._n_window}-sample "
                f"window), got {self.embed_dim}.")
        if self.lam is not None:
            _check_positive(self.lam, "lam")
        _check_positive(self.n_iter, "n_iter", integer=True)
        _check_positive(self.tol, "tol")

    def _fit(self, data, info, **fit_params):
        super()._fit(data, info, **fit_params)
        n_clean = len(self.clean_idx_)
        if self.embedding == "channels":
            if n_clean < 2:
                raise ValueError(
                    "embedding='channels' decomposes the channels x time matrix "
                    f"of the EEG channels and needs at least 2, got {n_clean}. "
                    "Use embedding='hankel' for single channels.")
            shape = (n_clean, self._n_window)
        else:
            shape = (self.embed_dim, self._n_window - self.embed_dim + 1)
        if self.lam is None:
            self.lam_ = float(_LAM_FACTOR[self.clean_part] * default_lam(shape))
        else:
            self.lam_ = float(self.lam)

    def _clean_windows(self, z, stages):
        n_times = z.shape[-1]
        take_low = self.clean_part == "low_rank"
        if self._joint:
            M, back = z, (lambda m: m)
        else:
            M = hankel(z, self.embed_dim)

            def back(m):
                return diagonal_average(m, n_times)

        record = None
        if stages:
            def record(L, S):
                return back(L if take_low else S)

        L, S, info = pcp(M, self.lam_, n_iter=self.n_iter, tol=self.tol,
                         record=record)
        final = back(L if take_low else S)
        return np.stack(info["history"][:-1] + [final]) if info["history"] \
            else final[np.newaxis]

    def _fitted_state(self):
        state = super()._fitted_state()
        state["lam_"] = float(self.lam_)
        return state

    def _restore(self, fitted, device):
        super()._restore(fitted, device)
        self.lam_ = float(fitted["lam_"])
        return self
