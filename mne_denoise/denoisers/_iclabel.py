# License: BSD-3-Clause
"""ICA with ICLabel's component labels, under the denoisers' contract."""

import numbers
import warnings

import mne
import numpy as np

from .._protocol import NYQUIST_MARGIN
from ..utils._checks import _check_fraction, _check_option
from ..utils._docs import fill_doc
from ._base import BaseDenoiser
from ._classical import _as_epochs, _LinearMapMixin
from ._spatial import eeg_positions

#: ICLabel's classes, in the column order of its probabilities.
ICLABEL_CLASSES = ("brain", "muscle artifact", "eye blink", "heart beat",
                   "line noise", "channel noise", "other")


@fill_doc
class ICLabelDenoiser(_LinearMapMixin, BaseDenoiser):
    """Remove the eye and muscle components that ICLabel finds (ICA + ICLabel).

    ``fit`` prepares a copy of the training data as ICLabel asks (EEG
    channels only, common average reference, band-pass ``l_freq``-``h_freq``
    Hz), decomposes it with :class:`mne.preprocessing.ICA` (extended Infomax
    by default, the decomposition ICLabel was trained on), labels the
    components with :func:`mne_icalabel.label_components` and marks those
    whose probability of a class of ``labels`` is at least ``threshold``.
    ``transform`` subtracts these components from the EEG channels of the
    data as they are (unfiltered, in their own reference); the reference and
    other channels pass unchanged.

    Parameters
    ----------
    %(info_sfreq)s
    threshold : float
        Probability of an artifact class, in [0, 1], from which a component
        is removed.
    labels : tuple of str
        The ICLabel classes removed (default: eye and muscle). Any of
        ``'muscle artifact'``, ``'eye blink'``, ``'heart beat'``,
        ``'line noise'``, ``'channel noise'``, ``'other'``.
    n_components : int | float | None
        Components of the ICA; None (default): the rank of the
        average-referenced EEG (one less than the EEG channels), which keeps
        the decomposition stable. Floats keep that fraction of the variance.
    method : ``'infomax'`` | ``'fastica'`` | ``'picard'``
        ICA algorithm; with ``'infomax'`` and ``fit_params=None`` extended
        Infomax is used, as ICLabel expects.
    fit_params : dict | None
        Extra arguments of the ICA algorithm; copied, never mutated.
    l_freq, h_freq : float
        Band-pass (Hz, zero-phase IIR) of the copy that ICA is fitted on and
        ICLabel reads; ICLabel's documentation asks for 1-100 Hz. A low-pass
        at or above 90 %% of the Nyquist frequency is skipped.
    random_state : int | None
        Seed of the ICA.
    verbose : bool | str | int | None
        MNE-style verbosity; False (default) is quiet.

    Attributes
    ----------
    ica_ : mne.preprocessing.ICA | None
        The fitted ICA (``ica_.labels_`` holds ICLabel's labels), for
        inspection; None when there was nothing to decompose (see Notes) or
        after :func:`mne_denoise.read_denoiser`.
    probabilities_ : array, shape (n_components, 7)
        ICLabel's class probabilities, columns in the order of
        ``ICLABEL_CLASSES`` (brain, muscle artifact, eye blink, heart beat,
        line noise, channel noise, other).
    labels_ : list of str
        Each component's most probable class.
    exclude_ : list of int
        The components removed.
    operator_ : array, shape (n_eeg, n_eeg)
        The linear map ``transform`` applies to the EEG channels,
        ``X_clean = operator_ @ X + offset_[:, None]``.
    offset_ : array, shape (n_eeg,)
        Its constant part.
    %(attributes)s

    See Also
    --------
    ICADenoiser : ICA with MNE's ocular/muscle detectors instead of ICLabel.
    mne_icalabel.label_components

    Notes
    -----
    ICLabel reads the components' scalp maps, so the EEG channels need
    positions (a montage); without them ``fit`` raises an error that says
    how to set one. The removal is computed on the average-referenced view
    of the data and subtracted from the data in their own reference: the
    output keeps the input's reference. With fewer than three EEG channels,
    or fewer samples than ten per EEG channel, there is nothing to unmix:
    ``fit`` keeps no component out and ``transform`` returns the data
    unchanged (2-D arrays, whose rows are single channels, are such a case).

    References
    ----------
    .. [1] Pion-Tonachini L., Kreutz-Delgado K., Makeig S. (2019). ICLabel:
       an automated electroencephalographic independent component classifier,
       dataset, and website. NeuroImage 198, 181-197.
    .. [2] Li A. et al. (2022). MNE-ICALabel: automatically annotating ICA
       components with ICLabel in Python. J. Open Source Softw. 7, 4484.
    """

    def __init__(self, info=None, *, sfreq=None, threshold=0.5,
                 labels=("eye blink", "muscle artifact"), n_components=None,
                 method="infomax", fit_params=None, l_freq=1.0, h_freq=100.0,
                 random_state=None, verbose=False):
        self.info = info
        self.sfreq = sfreq
        self.threshold = threshold
        self.labels = labels
        self.n_components = n_components
        self.method = method
        self.fit_params = fit_params
        self.l_freq = l_freq
        self.h_freq = h_freq
        self.random_state = random_state
        self.verbose = verbose

    def _check_params(self):
        super()._check_params()
        _check_fraction(self.threshold, "threshold", closed_right=True)
        _check_option("method", self.method, ("infomax", "fastica", "picard"))
        if isinstance(self.labels, str) or not isinstance(self.labels, list | tuple):
            raise TypeError("labels must be a tuple of ICLabel classes, e.g. "
                            f"('eye blink', 'muscle artifact'), got {self.labels!r}.")
        for label in self.labels:
            _check_option("labels", label, ICLABEL_CLASSES[1:])
        if self.fit_params is not None and not isinstance(self.fit_params, dict):
            raise TypeError("fit_params must be a dict of the ICA algorithm's "
                            f"arguments or None, got {self.fit_params!r}.")
        for name in ("l_freq", "h_freq"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                    or value <= 0:
                raise ValueError(f"{name} must be a positive number, got {value!r}.")
        if self.l_freq >= self.h_freq:
            raise ValueError(f"l_freq ({self.l_freq}) must be below h_freq "
                             f"({self.h_freq}).")

    def _prepared(self, data, info, *, average=True):
        """The copy ICLabel asks for: EEG only, average reference, 1-100 Hz.

        ``average=False`` keeps the data's own reference (same band).
        """
        epochs = _as_epochs(data[:, self.clean_idx_],
                            mne.pick_info(info, self.clean_idx_))
        if average:
            epochs.set_eeg_reference("average", verbose=False)
        nyq = info["sfreq"] / 2.0
        h_freq = self.h_freq if self.h_freq < NYQUIST_MARGIN * nyq else None
        l_freq = self.l_freq if self.l_freq < nyq else None
        if l_freq is not None or h_freq is not None:
            # IIR: epochs are usually shorter than a 1-Hz FIR high-pass.
            epochs.filter(l_freq, h_freq, method="iir", verbose=False)
        return epochs

    def _fit(self, data, info):
        from mne.preprocessing import ICA
        from mne_icalabel import label_components

        n_eeg = len(self.clean_idx_)
        n_samples = data.shape[0] * data.shape[2]
        self.ica_ = None
        self.exclude_, self.labels_ = [], []
        self.probabilities_ = np.zeros((0, len(ICLABEL_CLASSES)))
        self.operator_ = np.eye(n_eeg)
        self.offset_ = np.zeros(n_eeg)
        if n_eeg < 3 or n_samples < 10 * n_eeg:
            with mne.utils.use_log_level(self.verbose):
                mne.utils.logger.info(
                    f"ICLabelDenoiser: {n_eeg} EEG channel(s) and {n_samples} "
                    "samples, nothing to unmix; the data will pass unchanged.")
            return
        eeg_positions(info, self.clean_idx_, what="ICLabelDenoiser (ICLabel "
                      "reads the components' scalp maps)")
        prepared = self._prepared(data, info)
        fit_params = dict(self.fit_params) if self.fit_params is not None else (
            dict(extended=True) if self.method == "infomax" else {})
        # The average reference removes one dimension.
        n_components = n_eeg - 1 if self.n_components is None else self.n_components
        ica = ICA(n_components=n_components, method=self.method,
                  fit_params=fit_params, random_state=self.random_state,
                  max_iter="auto", verbose=self.verbose)
        ica.fit(prepared, verbose=self.verbose)
        with mne.utils.use_log_level(self.verbose), warnings.catch_warnings():
            if prepared.info["lowpass"] < self.h_freq:
                # Below 2 * h_freq Hz there is nothing above the low-pass to
                # remove; ICLabel's warning would say the data are unfiltered.
                warnings.filterwarnings("ignore", message=".*not filtered between")
            result = label_components(prepared, ica, method="iclabel")
        # label_components keeps only the top class; the full probabilities
        # are in the ICA it annotated.
        self.probabilities_ = np.asarray(ica.labels_scores_, dtype=np.float64)
        self.labels_ = list(result["labels"])
        cols = [ICLABEL_CLASSES.index(label) for label in self.labels]
        bad = self.probabilities_[:, cols].max(axis=1) >= self.threshold
        self.exclude_ = [int(i) for i in np.flatnonzero(bad)]
        ica.exclude = list(self.exclude_)
        self.ica_ = ica
        self.operator_, self.offset_ = self._linear_map(ica, prepared, data, info)

    def _linear_map(self, ica, prepared, data, info):
        """The affine map on the EEG channels, read off ICA on probes.

        ICA sees the average-referenced view ``R x``, where what it removes
        is ``R x - apply(R x)``. In the data's own reference each component
        also has a share of the channels' mean (the reference electrode's
        view of it), which the average reference hides: it is estimated by
        least squares (the channel mean of the band-passed training data
        regressed on the components' time courses), so that the removal is
        subtracted from ``x`` itself and the output keeps the input's
        reference.
        """
        n_eeg = len(self.clean_idx_)
        scale = 1e-5  # EEG scale, so the pre-whitening sees plausible values
        probe = np.zeros((1, n_eeg, n_eeg + 1))
        probe[0, np.arange(n_eeg), 1 + np.arange(n_eeg)] = scale
        probe -= probe.mean(axis=1, keepdims=True)  # R x
        epochs = mne.EpochsArray(probe, prepared.info, proj=False, verbose=False)
        out = ica.apply(epochs.copy(), verbose=False).get_data()[0]
        offset = out[:, 0]
        applied = (out[:, 1:] - offset[:, None]) / scale  # A R
        avg_ref = np.eye(n_eeg) - 1.0 / n_eeg
        operator = np.eye(n_eeg) - (avg_ref - applied)
        if not self.exclude_:
            return operator, offset
        src = ica.get_sources(epochs).get_data()[0][self.exclude_]
        src_offset = src[:, 0]
        unmix = (src[:, 1:] - src_offset[:, None]) / scale  # W R, bad rows
        # The channel mean, band-passed as ICA saw the data, on the sources.
        mean = self._prepared(data, info, average=False).get_data().mean(axis=1)
        mean = mean.ravel()
        sources = ica.get_sources(prepared).get_data()
        design = sources.transpose(1, 0, 2).reshape(len(sources[0]), -1)
        design = np.vstack([design, np.ones(design.shape[-1])]).T
        share = np.linalg.lstsq(design, mean, rcond=None)[0][:-1][self.exclude_]
        operator -= np.outer(np.ones(n_eeg), share @ unmix)
        offset = offset - share @ src_offset
        return operator, offset

    def _fitted_state(self):
        import torch

        state = super()._fitted_state()
        state.update(
            probabilities_=torch.from_numpy(
                np.ascontiguousarray(self.probabilities_)),
            exclude_=list(self.exclude_), labels_=list(self.labels_),
        )
        return state

    def _restore(self, fitted, device):
        super()._restore(fitted, device)
        self.probabilities_ = fitted["probabilities_"].numpy()
        self.exclude_ = list(fitted["exclude_"])
        self.labels_ = list(fitted["labels_"])
        return self
