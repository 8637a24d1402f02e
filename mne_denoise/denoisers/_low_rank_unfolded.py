# License: BSD-3-Clause
"""LowRankUnfoldedDenoiser: low-rank + sparse recovery unrolled into learned stages."""

import re

import numpy as np

from ..utils._checks import _check_positive
from ..utils._docs import fill_doc
from ._deep_base import BaseDeepDenoiser
from ._low_rank import _LowRankMixin

_STAGE_KEY = re.compile(r"^stages\.(\d+)\.")


@fill_doc
class LowRankUnfoldedDenoiser(_LowRankMixin, BaseDeepDenoiser):
    """Remove EOG and EMG artifacts with unrolled, learned low-rank recovery.

    The iterations of low-rank + sparse recovery (:class:`LowRankDenoiser`)
    are unrolled into ``n_stages`` network stages, after the idea of
    LRR-UNet (Yue et al. 2025): in each stage, a learned low-rank projection
    of the window's trajectory (Hankel) matrix, weighted by a small U-Net,
    replaces singular value thresholding; a soft thresholding with learned,
    locally modulated thresholds replaces the sparse step; and the Lagrange
    multiplier moves with a learned step. Every stage yields a low-rank and a
    sparse estimate. Trained end to end on semi-synthetic pairs (real EEG +
    real EOG and EMG), one set of weights serves both artifacts, blindly (no
    reference channel is used).

    Only the paper's abstract is public, so the architecture (the rank-limited
    learned basis, the U-Net that weighs it, the threshold module and the
    deep supervision) is this package's own design; see
    :class:`mne_denoise.nn.low_rank_unfolded.LowRankUnfoldedNet`.

    Parameters
    ----------
    %(info_sfreq)s
    n_stages : int | None
        Unrolled stages. None uses those of the weights (4 for the shipped
        ones); fewer than the weights have keeps their first ``n_stages``
        (every stage is trained to be an estimate on its own), more needs
        ``weights=None`` and training.
    %(weights_pretrained)s
    %(max_epochs_pretrained)s
    %(optim)s
    %(callbacks)s
    %(device_state_verbose)s

    Attributes
    ----------
    %(deep_attributes)s
    %(attributes)s

    See Also
    --------
    LowRankDenoiser : the classical solver with real SVDs.
    mne_denoise.viz.plot_decomposition_stages : the parts stage by stage.
    mne_denoise.read_denoiser : read a saved denoiser.

    Notes
    -----
    Each EEG channel is resampled to 256 Hz, cut into 2-s windows with
    ``overlap``, standardized, embedded in its trajectory matrix (64 rows)
    and decomposed; what was removed is resampled back and subtracted from
    the input.

    The **low-rank part is the cleaned EEG** and the sparse part the
    artifact, for both artifacts (fixed, not a parameter). With singular value
    thresholding the split is by energy, and on the semi-synthetic pairs the
    artifact lands in the low-rank part for ocular (and other slow, large)
    artifacts but in the sparse part for broadband muscle artifacts (see
    :class:`LowRankDenoiser`), so no single classical assignment serves all.
    The learned projection is not ordered by energy: its weights choose which
    components of the rank-limited basis to keep, and trained to output the
    clean EEG as its low-rank estimate it learns to keep the brain components
    and leave the blink or the muscle burst, both large and localized in
    time, to the thresholded sparse part. Keeping the EEG on the projection
    side (rather than on the thresholding side) also keeps the soft
    threshold's shrinkage bias off the brain signal. :meth:`decompose`
    returns both parts: the low-rank part equals ``transform`` and the sparse
    part is its complement (the last sparse estimate plus the constraint
    residual, which training keeps small).

    The network's arguments (``module__embed_dim``, ``module__rank``,
    ``module__hidden``, ``module__depth``) are those of
    :class:`~mne_denoise.nn.low_rank_unfolded.LowRankUnfoldedNet`. How the
    shipped weights were trained and how they score against the classical
    solver is in their model card (``mne_denoise/weights/low_rank_unfolded.md``)
    and on the benchmark page; longer training (``max_epochs`` in ``fit``, or
    ``mne-denoise train low_rank_unfolded``) is the first thing to try for
    better figures.

    References
    ----------
    .. [1] Yue X., Lu L., Liu H., Zang Y. (2025). LRR-UNet: a deep unfolding
       network with low-rank recovery for EEG signal denoising. CNS
       Neuroscience & Therapeutics 31(10), e70632.
    .. [2] Candès E. J., Li X., Ma Y., Wright J. (2011). Robust principal
       component analysis? Journal of the ACM 58(3), 11.
    .. [3] Gregor K., LeCun Y. (2010). Learning fast approximations of
       sparse coding. ICML.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 2, 512)) * 1e-5
    >>> den = LowRankUnfoldedDenoiser(sfreq=256.0).fit(X)
    >>> den.transform(X).shape
    (4, 2, 512)
    """

    _pretrained = "low_rank_unfolded"
    _reference_input = False
    _default_module_params = {"n_stages": 4, "embed_dim": 64, "rank": 32,
                              "hidden": 8, "depth": 2}

    def __init__(self, info=None, *, sfreq=None, n_stages=None,
                 weights="pretrained", max_epochs=0, lr=2e-3, batch_size=64,
                 pairs_per_epoch=None, clean_probability=0.0, augment=False,
                 high_snr_probability=0.0, callbacks=None,
                 threshold=0.5, overlap=0.5, device="auto", random_state=None,
                 verbose=None,
                 **kwargs):
        self.info = info
        self.sfreq = sfreq
        self.n_stages = n_stages
        self.weights = weights
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.pairs_per_epoch = pairs_per_epoch
        self.clean_probability = clean_probability
        self.augment = augment
        self.high_snr_probability = high_snr_probability
        self.threshold = threshold
        self.callbacks = callbacks
        self.overlap = overlap
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self._store_routed(kwargs)

    @property
    def _module(self):
        from ..nn.low_rank_unfolded import LowRankUnfoldedNet

        return LowRankUnfoldedNet

    @property
    def _criterion(self):
        from ..nn.low_rank_unfolded import UnfoldedLoss

        return UnfoldedLoss

    def _clean_part_name(self):
        return "low_rank"

    def _check_params(self):
        super()._check_params()
        if self.n_stages is not None:
            _check_positive(self.n_stages, "n_stages", integer=True)
            given = self._routed("module").get("n_stages")
            if given is not None and given != self.n_stages:
                raise ValueError(
                    f"n_stages={self.n_stages} contradicts module__n_stages="
                    f"{given}; pass only one of them.")

    def _resolved_module_params(self, bundle):
        params = super()._resolved_module_params(bundle)
        if self.n_stages is not None:
            params["n_stages"] = int(self.n_stages)
        return params

    def _weights_bundle(self):
        bundle = super()._weights_bundle()
        n_have = 1 + max((int(m.group(1)) for k in bundle["state_dict"]
                          if (m := _STAGE_KEY.match(k))), default=-1)
        n_want = self.n_stages if self.n_stages is not None else \
            self._routed("module").get("n_stages")
        if n_want is None or n_want == n_have:
            return bundle
        if n_want > n_have:
            raise ValueError(
                f"n_stages={n_want} but the weights {self.weights!r} have "
                f"{n_have} stages. Use n_stages <= {n_have}, or weights=None "
                "with max_epochs > 0 to train a deeper network.")
        # Every stage was trained to be an estimate on its own (deep
        # supervision), so the first n_want stages form a working network.
        bundle = dict(bundle)
        bundle["state_dict"] = {
            k: v for k, v in bundle["state_dict"].items()
            if not (m := _STAGE_KEY.match(k)) or int(m.group(1)) < n_want}
        bundle["module_params"] = {**bundle["module_params"], "n_stages": n_want}
        return bundle

    def _clean_windows(self, z, stages):
        from ..nn._skorch import predict_windows

        # Every stage's estimate (the network's second output), in the
        # fixed-size padded batches of predict_windows: a window's output does
        # not depend on how many windows came with it.
        out = predict_windows(self.net_.module_, z, output=1,
                              device=self.device_).transpose(1, 0, 2)
        # Detect, then correct: every stage's correction through the gate of
        # the final estimate.
        _, g = self._gate_windows(z, out[-1])
        out = z - g[:, np.newaxis] * (z - out)
        return out if stages else out[-1:]
