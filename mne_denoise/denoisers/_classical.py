# License: BSD-3-Clause
"""Classical baselines with the denoisers' contract: band-pass, regression, ICA."""

import numbers
import warnings

import mne
import numpy as np

from .._protocol import NYQUIST_MARGIN
from ..utils._checks import _check_option, _validate_type
from ..utils._docs import fill_doc
from ._base import BaseDenoiser
from ._transfer import apply_transfer, demeaned, fit_transfer


def _as_epochs(data, info):
    """Wrap ``data`` in EpochsArray for MNE's tools, exactly as given.

    Projectors are dropped (never applied: the other denoisers see the data
    as they are too) and the EEG reference is declared to be the current
    one, which MNE's EOGRegression otherwise asks for.
    """
    epochs = mne.EpochsArray(data, info, proj=False, verbose=False)
    epochs.del_proj()
    epochs.set_eeg_reference([], verbose=False)
    return epochs


# ----------------------------------------------------------------------------
@fill_doc
class BandpassDenoiser(BaseDenoiser):
    """Band-pass filter the EEG channels (the simplest baseline).

    A zero-phase filter from :func:`mne.filter.filter_data` keeps
    ``l_freq``-``h_freq`` Hz of every EEG channel; EOG, EMG and other
    channels pass unchanged. Nothing is learned in ``fit`` beyond the
    channels. It removes slow ocular drifts below ``l_freq`` and muscle
    activity above ``h_freq``, and nothing that overlaps the EEG band.

    Parameters
    ----------
    l_freq : float | None
        High-pass edge in Hz (None: no high-pass).
    h_freq : float | None
        Low-pass edge in Hz (None: no low-pass). A low-pass at or above 90 %%
        of the data's Nyquist frequency is skipped (there is nothing to cut).
    %(info_sfreq)s
    method : ``'iir'`` | ``'fir'``
        ``'iir'`` (default): 4th-order Butterworth, applied forward and
        backward, which works on epochs of any length. ``'fir'``: MNE's
        default FIR filter, which needs epochs longer than the filter (several
        seconds for a 1-Hz high-pass).

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    mne.filter.filter_data : the filter.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 2, 512)) * 1e-5
    >>> BandpassDenoiser(1.0, 40.0, sfreq=256.0).fit_transform(X).shape
    (4, 2, 512)
    """

    def __init__(self, l_freq=1.0, h_freq=40.0, *, info=None, sfreq=None,
                 method="iir"):
        self.l_freq = l_freq
        self.h_freq = h_freq
        self.info = info
        self.sfreq = sfreq
        self.method = method

    def _check_params(self):
        super()._check_params()
        _check_option("method", self.method, ("iir", "fir"))
        for name in ("l_freq", "h_freq"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, numbers.Real)
                or value <= 0
            ):
                raise ValueError(f"{name} must be a positive number or None, got "
                                 f"{value!r}.")
        if self.l_freq is None and self.h_freq is None:
            raise ValueError("l_freq and h_freq are both None: there is nothing to "
                             "filter. Set at least one band edge.")
        if None not in (self.l_freq, self.h_freq) and self.l_freq >= self.h_freq:
            raise ValueError(f"l_freq ({self.l_freq}) must be below h_freq "
                             f"({self.h_freq}).")

    def _denoise(self, data, sfreq):
        nyq = sfreq / 2.0
        h_freq = self.h_freq if self.h_freq is not None \
            and self.h_freq < NYQUIST_MARGIN * nyq else None
        if self.l_freq is not None and self.l_freq >= nyq:
            raise ValueError(f"l_freq={self.l_freq} Hz is not below the Nyquist "
                             f"frequency ({nyq:g} Hz) of the data.")
        out = data.copy()
        if self.l_freq is None and h_freq is None:
            return out
        out[:, self.clean_idx_] = mne.filter.filter_data(
            data[:, self.clean_idx_], sfreq, self.l_freq, h_freq,
            method=self.method, verbose=False)
        return out


# ----------------------------------------------------------------------------
def _check_on_missing(on_missing):
    return _check_option("on_missing", on_missing, ("raise", "warn", "ignore"))


@fill_doc
class RegressionDenoiser(BaseDenoiser):
    """Regress the EOG/EMG reference channels out of the EEG channels.

    With ``domain='time'`` (default) it wraps
    :class:`mne.preprocessing.EOGRegression`: ``fit`` estimates, by least
    squares over the training epochs, how much of each reference channel
    every EEG channel holds; ``transform`` subtracts it. With
    ``domain='frequency'`` it estimates that share per frequency instead
    (frequency-domain regression [2]_): the transfer function
    ``H(f) = S_xr(f) S_rr(f)^-1`` from the cross-spectra of EEG and
    references over all training epochs (the protocol's 1-s Hann windows),
    applied as a 1-s FIR filter per EEG/reference pair. A reference
    electrode records brain activity too; time-domain regression injects
    that activity into every EEG channel at every frequency, the transfer
    function only where the reference is dominated by what also reaches the
    EEG (for blinks, the low frequencies). The
    reference channels (and other non-EEG channels) pass unchanged. With
    EOG channels this is the classic ocular correction; EMG channels work
    the same way, as far as the muscle activity they record reaches the
    scalp linearly.

    Parameters
    ----------
    %(info_sfreq)s
    picks_artifact : ``'auto'`` | ``'eog'`` | ``'emg'`` | list of str
        The reference channels: all EOG and EMG channels (``'auto'``), those
        of one type, or channel names.
    on_missing : ``'raise'`` | ``'warn'`` | ``'ignore'``
        What to do when the data have no reference channel (e.g. 2-D arrays,
        whose rows are single EEG channels): raise a ValueError (default),
        or warn / stay silent and leave the data unchanged.
    domain : ``'time'`` | ``'frequency'``
        One least-squares share per EEG/reference pair (``'time'``, MNE's
        ``EOGRegression``), or a transfer function per frequency
        (``'frequency'``). The frequency-domain filter looks 0.5 s ahead and
        behind; epochs are extended by reflection at their edges.

    Attributes
    ----------
    regression_ : mne.preprocessing.EOGRegression | None
        The fitted regression (None without reference channels).
    coef_ : array, shape (n_eeg, n_artifact)
        Each EEG channel's least-squares share of each reference channel
        (what ``domain='time'`` subtracts; fitted with either domain).
    transfer_ : array, shape (n_eeg, n_artifact, n_taps) | None
        The FIR filters of ``domain='frequency'`` (zero lag at tap
        ``n_taps // 2``), else None.
    artifact_names_ : list of str
        The reference channels used.
    %(attributes)s

    See Also
    --------
    mne.preprocessing.EOGRegression : the regression itself.

    Notes
    -----
    The regression runs on the data as given: projectors are not applied,
    and the current EEG reference is taken as the desired one (set the
    reference you want before ``fit``, as MNE recommends; the coefficients
    depend on it).

    References
    ----------
    .. [1] Gratton G., Coles M. G. H., Donchin E. (1983). A new method for
       off-line removal of ocular artifact. Electroencephalogr. Clin.
       Neurophysiol. 55, 468-484.
    .. [2] Woestenburg J. C., Verbaten M. N., Slangen J. L. (1983). The
       removal of the eye-movement artifact from the EEG by regression
       analysis in the frequency domain. Biol. Psychol. 16, 127-147.
    """

    _transfer_attr = "transfer_"

    def __init__(self, info=None, *, sfreq=None, picks_artifact="auto",
                 on_missing="raise", domain="time"):
        self.info = info
        self.sfreq = sfreq
        self.picks_artifact = picks_artifact
        self.on_missing = on_missing
        self.domain = domain

    def _check_params(self):
        super()._check_params()
        _check_on_missing(self.on_missing)
        _check_option("domain", self.domain, ("time", "frequency"))
        pa = self.picks_artifact
        if not (pa in ("auto", "eog", "emg") or (
            isinstance(pa, list | tuple) and all(isinstance(p, str) for p in pa)
        )):
            raise ValueError(
                "picks_artifact must be 'auto', 'eog', 'emg' or a list of channel "
                f"names, got {pa!r}."
            )

    def _artifact_idx(self, info):
        pa = self.picks_artifact
        types = info.get_channel_types()
        if pa == "auto":
            return [int(i) for i in self.ref_idx_]
        if pa in ("eog", "emg"):
            return [i for i, t in enumerate(types) if t == pa]
        missing = [p for p in pa if p not in info.ch_names]
        if missing:
            raise ValueError(f"picks_artifact names {missing}, which are not "
                             f"channels of the data ({info.ch_names[:8]}...).")
        idx = [info.ch_names.index(p) for p in pa]
        eeg = [info.ch_names[i] for i in idx if i in set(self.clean_idx_)]
        if eeg:
            raise ValueError(f"picks_artifact {eeg} are EEG channels, which this "
                             "denoiser cleans; set their type to 'eog' or 'emg'.")
        return idx

    def _fit(self, data, info):
        from mne.preprocessing import EOGRegression

        idx = self._artifact_idx(info)
        self.artifact_names_ = [info.ch_names[i] for i in idx]
        self.regression_ = self.transfer_ = None
        self.coef_ = np.zeros((len(self.clean_idx_), len(idx)))
        if not idx:
            msg = (
                "RegressionDenoiser needs EOG or EMG reference channels, and the "
                f"data have none (channel types: "
                f"{sorted(set(info.get_channel_types()))}). Mark them with "
                "inst.set_channel_types({'EOG1': 'eog'}) or pass an info that "
                "has them; on_missing='ignore' leaves the data unchanged instead."
            )
            if self.on_missing == "raise":
                raise ValueError(msg)
            if self.on_missing == "warn":
                warnings.warn(msg, RuntimeWarning, stacklevel=3)
            return
        self.regression_ = EOGRegression(
            picks=self.clean_idx_, exclude=(), picks_artifact=idx, proj=False)
        self.regression_.fit(_as_epochs(data, info))
        self.coef_ = self.regression_.coef_
        if self.domain == "frequency":
            self.transfer_ = fit_transfer(demeaned(data[:, self.clean_idx_]),
                                          demeaned(data[:, idx]), self.sfreq_)

    def _denoise(self, data, sfreq):
        if self.regression_ is None:
            return data.copy()
        if self.transfer_ is None:
            return self.regression_.apply(_as_epochs(data, self.info_)).get_data()
        idx = [self.ch_names_.index(n) for n in self.artifact_names_]
        out = data.copy()
        out[:, self.clean_idx_] -= apply_transfer(demeaned(data[:, idx]),
                                                  self.transfer_)
        return out

    def _fitted_state(self):
        import torch

        state = super()._fitted_state()
        state["coef_"] = torch.from_numpy(np.ascontiguousarray(self.coef_))
        state["artifact_names_"] = list(self.artifact_names_)
        taps = self.transfer_
        state["transfer_"] = None if taps is None else torch.from_numpy(taps)
        return state

    def _restore(self, fitted, device):
        from mne.preprocessing import EOGRegression

        super()._restore(fitted, device)
        self.coef_ = fitted["coef_"].numpy()
        self.artifact_names_ = list(fitted["artifact_names_"])
        # Files written before domain='frequency' existed have no taps.
        taps = fitted.get("transfer_")
        self.transfer_ = None if taps is None else taps.numpy()
        self.regression_ = None
        if self.artifact_names_:
            idx = [self.ch_names_.index(n) for n in self.artifact_names_]
            # coef_ and info_ are the whole fitted state of an EOGRegression.
            reg = EOGRegression(picks=self.clean_idx_, exclude=(), picks_artifact=idx,
                                proj=False)
            reg.coef_ = self.coef_
            reg.info_ = self.info_.copy()
            self.regression_ = reg
        return self


# ----------------------------------------------------------------------------
class _LinearMapMixin:
    """Apply and save a fitted linear map of the EEG channels.

    The ICA-based denoisers reduce to ``X_clean = operator_ @ X +
    offset_[:, None]`` on the cleaned channels; this is how both apply it
    and keep it in a saved file.
    """

    def _denoise(self, data, sfreq):
        out = data.copy()
        eeg = data[:, self.clean_idx_]
        out[:, self.clean_idx_] = np.einsum("ij,njt->nit", self.operator_, eeg) \
            + self.offset_[:, None]
        return out

    def _fitted_state(self):
        import torch

        state = super()._fitted_state()
        state.update(
            operator_=torch.from_numpy(np.ascontiguousarray(self.operator_)),
            offset_=torch.from_numpy(np.ascontiguousarray(self.offset_)))
        return state

    def _restore(self, fitted, device):
        super()._restore(fitted, device)
        self.operator_ = fitted["operator_"].numpy()
        self.offset_ = fitted["offset_"].numpy()
        self.ica_ = None
        return self


@fill_doc
class ICADenoiser(_LinearMapMixin, BaseDenoiser):
    """Remove ocular and muscle independent components (ICA) from the EEG.

    ``fit`` decomposes the EEG channels of the training data with
    :class:`mne.preprocessing.ICA` (on a copy high-passed at ``l_freq``, as
    MNE advises), finds ocular components with
    :meth:`~mne.preprocessing.ICA.find_bads_eog` and muscle components with
    :meth:`~mne.preprocessing.ICA.find_bads_muscle`; ``transform`` removes
    them from the EEG channels (the reference and other channels pass
    unchanged).

    Parameters
    ----------
    %(info_sfreq)s
    n_components : int | float | None
        Components of the ICA (see :class:`mne.preprocessing.ICA`; a float
        such as 0.999999 keeps that fraction of the variance, which avoids
        unstable decompositions of rank-deficient, e.g. average-referenced,
        data).
    method : ``'fastica'`` | ``'infomax'`` | ``'picard'``
        ICA algorithm (``'picard'`` needs the python-picard package).
    eog : bool
        Look for ocular components. They are those whose time courses
        correlate with the EOG channels, or, without any, with the frontal
        EEG channels (names starting with Fp or AF), the usual proxies; with
        neither, no ocular component is removed.
    muscle : bool
        Look for muscle components (a positive log-log spectral slope
        between 7 and 45 Hz, and, when the channels have positions, a
        peripheral and focal topography).
    eog_threshold : float | ``'auto'``
        Threshold of :meth:`~mne.preprocessing.ICA.find_bads_eog` (``'auto'``:
        3.0 for ``'zscore'``, 0.9 for ``'correlation'``).
    eog_measure : ``'zscore'`` | ``'correlation'``
        Its measure. Adaptive z-scores need many components: with fewer than
        about ten, no z-score can reach 3 and ``'correlation'`` is the better
        choice.
    muscle_threshold : float
        Threshold of :meth:`~mne.preprocessing.ICA.find_bads_muscle`.
    l_freq : float | None
        High-pass (Hz, zero-phase IIR) of the copy ICA is fitted on; None to
        fit on the data as they are.
    fit_params : dict | None
        Extra arguments of the ICA algorithm (see
        :class:`mne.preprocessing.ICA`, e.g. ``dict(extended=True)`` for
        extended Infomax); copied, never mutated.
    random_state : int | None
        Seed of the ICA.
    verbose : bool | str | int | None
        MNE-style verbosity of the decomposition and the detections (and of
        the note that there was nothing to unmix); False (default) is quiet,
        None follows MNE's global level.

    Attributes
    ----------
    ica_ : mne.preprocessing.ICA | None
        The fitted ICA, for inspection (``ica_.plot_components()``...). None
        when there was nothing to decompose (see Notes), or after
        :func:`mne_denoise.read_denoiser`.
    exclude_ : list of int
        The components removed.
    eog_idx_, muscle_idx_ : list of int
        Those found ocular and muscle.
    eog_scores_, muscle_scores_ : array | None
        Their detection scores.
    eog_channels_ : list of str
        The channels the ocular components were matched against.
    operator_ : array, shape (n_eeg, n_eeg)
        The linear map ``transform`` applies to the EEG channels, ``X_clean =
        operator_ @ X + offset_[:, None]``, read off ``ica_.apply``; it is
        what :meth:`save` stores.
    offset_ : array, shape (n_eeg,)
        Its constant part.
    %(attributes)s

    See Also
    --------
    mne.preprocessing.ICA

    Notes
    -----
    With fewer than two EEG channels (2-D array inputs, whose rows are single
    channels) or fewer samples than ten per EEG channel there is nothing to
    unmix: ``fit`` then keeps no component out (``ica_ = None``) and
    ``transform`` returns the data unchanged. Muscle detection is skipped
    when the data hold no 7-45 Hz band (a Nyquist frequency below 10 Hz or
    epochs too short for two frequency bins in it); without channel
    positions it uses the spectral slope alone (MNE's warning about it is
    silenced, since this is the documented behaviour here).

    References
    ----------
    .. [1] Jung T.-P. et al. (2000). Removing electroencephalographic
       artifacts by blind source separation. Psychophysiology 37, 163-178.
    .. [2] Dharmaprani D. et al. (2016). A comparison of independent
       component analysis algorithms and measures to discriminate between EEG
       and artifact components. IEEE EMBC, 825-828.
    """

    def __init__(self, info=None, *, sfreq=None, n_components=None,
                 method="fastica", eog=True, muscle=True, eog_threshold="auto",
                 eog_measure="zscore", muscle_threshold=0.5, l_freq=1.0,
                 fit_params=None, random_state=None, verbose=False):
        self.info = info
        self.sfreq = sfreq
        self.n_components = n_components
        self.method = method
        self.eog = eog
        self.muscle = muscle
        self.eog_threshold = eog_threshold
        self.eog_measure = eog_measure
        self.muscle_threshold = muscle_threshold
        self.l_freq = l_freq
        self.fit_params = fit_params
        self.random_state = random_state
        self.verbose = verbose

    def _check_params(self):
        super()._check_params()
        _check_option("method", self.method, ("fastica", "infomax", "picard"))
        _check_option("eog_measure", self.eog_measure, ("zscore", "correlation"))
        _validate_type(self.eog, bool, "eog", "a bool")
        _validate_type(self.muscle, bool, "muscle", "a bool")
        if self.fit_params is not None and not isinstance(self.fit_params, dict):
            raise TypeError("fit_params must be a dict of the ICA algorithm's "
                            f"arguments or None, got {self.fit_params!r}.")
        if self.l_freq is not None and (
            not isinstance(self.l_freq, numbers.Real) or self.l_freq <= 0
        ):
            raise ValueError(f"l_freq must be a positive number or None, got "
                             f"{self.l_freq!r}.")

    def _fit(self, data, info):
        from mne.preprocessing import ICA

        n_eeg = len(self.clean_idx_)
        n_samples = data.shape[0] * data.shape[2]
        self.ica_ = None
        self.eog_idx_, self.muscle_idx_, self.exclude_ = [], [], []
        self.eog_scores_ = self.muscle_scores_ = None
        self.eog_channels_ = []
        self.operator_ = np.eye(n_eeg)
        self.offset_ = np.zeros(n_eeg)
        if n_eeg < 2 or n_samples < 10 * n_eeg:
            with mne.utils.use_log_level(self.verbose):
                mne.utils.logger.info(
                    f"ICADenoiser: {n_eeg} EEG channel(s) and {n_samples} "
                    "samples, nothing to unmix; the data will pass unchanged.")
            return
        epochs = _as_epochs(data, info)
        fit_epochs = epochs
        if self.l_freq is not None and self.l_freq < info["sfreq"] / 2:
            fit_epochs = epochs.copy().filter(self.l_freq, None, method="iir",
                                              verbose=False)
        ica = ICA(n_components=self.n_components, method=self.method,
                  fit_params=dict(self.fit_params or {}),
                  random_state=self.random_state, verbose=self.verbose)
        ica.fit(fit_epochs, picks=self.clean_idx_, verbose=self.verbose)
        self.ica_ = ica
        if self.eog:
            self._find_eog(ica, epochs, info)
        if self.muscle:
            self._find_muscle(ica, epochs, info)
        self.exclude_ = sorted(set(self.eog_idx_) | set(self.muscle_idx_))
        ica.exclude = list(self.exclude_)
        self.operator_, self.offset_ = self._linear_map(ica, info)

    def _find_eog(self, ica, epochs, info):
        from ..datasets._banks import _is_frontal

        types = info.get_channel_types()
        names = [n for n, t in zip(info.ch_names, types, strict=True) if t == "eog"]
        if not names:
            names = [info.ch_names[i] for i in self.clean_idx_
                     if _is_frontal(info.ch_names[i])]
        self.eog_channels_ = names
        if not names:
            return
        # The 1-10 Hz band that find_bads_eog would filter with a 10-s FIR
        # (longer than typical epochs), with a zero-phase IIR instead: ICA is
        # linear, so the sources of the filtered copy are the filtered sources.
        nyq = info["sfreq"] / 2.0
        h_freq = 10.0 if 10.0 < NYQUIST_MARGIN * nyq else None
        band = epochs.copy().filter(1.0 if nyq > 1.0 else None, h_freq,
                                    method="iir", verbose=False)
        idx, scores = ica.find_bads_eog(
            band, ch_name=names, threshold=self.eog_threshold,
            measure=self.eog_measure, l_freq=None, h_freq=None,
            verbose=self.verbose)
        self.eog_idx_ = [int(i) for i in idx]
        self.eog_scores_ = np.asarray(scores)

    def _find_muscle(self, ica, epochs, info):
        l_freq, h_freq = 7.0, min(45.0, NYQUIST_MARGIN * info["sfreq"] / 2.0)
        resolution = info["sfreq"] / epochs.get_data(copy=False).shape[-1]
        if h_freq - l_freq < 2 * resolution:
            return
        with warnings.catch_warnings():
            # Without channel positions MNE scores the spectral slope only
            # and warns about it; that is the documented behaviour here.
            warnings.filterwarnings("ignore", message="No sensor positions found")
            idx, scores = ica.find_bads_muscle(
                epochs, threshold=self.muscle_threshold, l_freq=l_freq,
                h_freq=h_freq, verbose=self.verbose)
        self.muscle_idx_ = [int(i) for i in idx]
        self.muscle_scores_ = np.asarray(scores)

    def _linear_map(self, ica, info):
        """Read the affine map of ``ica.apply`` on the EEG channels off probes."""
        n_eeg = len(self.clean_idx_)
        # One epoch whose first sample is zero and whose next n_eeg samples
        # are unit impulses on each EEG channel in turn (at EEG scale, so the
        # whitening sees plausible values; the map is affine either way).
        scale = 1e-5
        probe = np.zeros((1, len(info.ch_names), n_eeg + 1))
        probe[0, self.clean_idx_, 1 + np.arange(n_eeg)] = scale
        out = ica.apply(_as_epochs(probe, info), verbose=False).get_data()[0]
        out = out[self.clean_idx_]
        offset = out[:, 0]
        return (out[:, 1:] - offset[:, None]) / scale, offset

    def _fitted_state(self):
        state = super()._fitted_state()
        state.update(
            exclude_=list(self.exclude_), eog_idx_=list(self.eog_idx_),
            muscle_idx_=list(self.muscle_idx_),
            eog_channels_=list(self.eog_channels_),
        )
        return state

    def _restore(self, fitted, device):
        super()._restore(fitted, device)
        for key in ("exclude_", "eog_idx_", "muscle_idx_", "eog_channels_"):
            setattr(self, key, list(fitted[key]))
        self.eog_scores_ = self.muscle_scores_ = None
        return self
