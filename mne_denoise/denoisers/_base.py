# License: BSD-3-Clause
"""The estimator contract shared by every denoiser."""

import mne
import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._protocol import MODEL_N_TIMES, MODEL_SFREQ
from ..utils import _windowing
from ..utils._checks import _check_positive
from . import _input, _io


def _no_references(data):
    return data, None


def _progress_wanted(verbose):
    """Whether an MNE-style ``verbose`` asks for progress (INFO or more)."""
    if verbose is None or verbose is False:
        return False
    if isinstance(verbose, str):
        return verbose.upper() in ("INFO", "DEBUG")
    return bool(verbose)


class BaseDenoiser(TransformerMixin, BaseEstimator):
    """The contract every denoiser follows; not meant to be used directly.

    It owns input checking (Epochs, lists of Epochs, Raw, Evoked, arrays with
    ``info`` or ``sfreq``), the channel bookkeeping (EEG cleaned, EOG/EMG as
    references), the windowed denoising at the model rate, ``apply``, the
    MNE-in/MNE-out wrapping, and save/read.

    Subclasses implement:

    * ``_fit(data, info, **fit_params)``: learn from ``data``, a C-ordered
      float64 array ``(n_epochs, n_channels, n_times)`` (``info_``,
      ``clean_idx_`` and ``ref_idx_`` are already set);
    * ``_run_windows(z, noise_z)``: denoise standardized windows
      ``(n_windows, _n_window)`` at ``_model_sfreq`` (``noise_z`` holds
      reference windows from ``_references`` or is None); or override
      ``_denoise(data, sfreq)`` to work on whole epochs;
    * optionally ``_references(data)`` and ``_fitted_state`` / ``_restore``
      for extra fitted attributes;
    * ``_windowed_parts()`` when ``_denoise`` is overridden: what the
      block-wise ``apply`` and :class:`~mne_denoise.online.OnlineDenoiser`
      run, or None when the windows are not those of
      :func:`~mne_denoise.utils._windowing.denoise_signals` (the whole data
      are then cleaned at once, and streaming is refused).
    """

    _model_sfreq = MODEL_SFREQ
    _n_window = MODEL_N_TIMES
    #: Message of the NotFittedError raised by ``apply``.
    _unfitted_hint = "Call fit(inst) first."
    #: scikit-learn checks that cannot apply to this class, check name ->
    #: reason; read by :func:`mne_denoise.utils.expected_failed_checks`.
    #: Every entry is a real limitation, to be kept empty where possible.
    _expected_failed_checks = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _io.register(cls)

    # ------------------------------------------------------------------
    # Parameter checks (at fit, as scikit-learn does)
    def _check_params(self):
        if self.sfreq is not None:
            _check_positive(self.sfreq, "sfreq")
        overlap = getattr(self, "overlap", 0.5)
        if not 0 <= overlap < 1:
            raise ValueError(f"overlap must be in [0, 1), got {overlap!r}.")

    # ------------------------------------------------------------------
    # Input handling: the one place where X becomes a 3-D float64 array.
    def _check_input(self, X, *, reset):
        fitted_info = getattr(self, "info_", None) if not reset else None
        if _input.is_mne_input(X):
            data, info, kind = _input.check_mne_data(X)
            if reset:
                self.n_features_in_ = data.shape[1]
            return data, info, kind
        if not issparse(X) and (isinstance(X, str | bytes | dict) or not (
            hasattr(X, "__array__") or isinstance(X, list | tuple)
        )):
            raise TypeError(
                "X must be an mne.Epochs, a list of Epochs, an mne.io.Raw, an "
                f"mne.Evoked or an array, got {type(X).__name__}."
            )
        try:
            data = validate_data(
                self, X, reset=reset, allow_nd=True, dtype=np.float64,
                order="C", ensure_all_finite=False, copy=True,
            )
        except ValueError as err:
            # scikit-learn's "X has 256 features" says nothing of the likely
            # cause, a channels-last array.
            hint = "" if reset else _input.channels_last_hint(
                np.shape(X), getattr(self, "n_features_in_", None))
            if hint:
                raise ValueError(f"{err}{hint}") from err
            raise
        _input._finite(data)
        if data.ndim == 3 and 0 in data.shape:
            raise ValueError(f"X is empty, got shape {data.shape}.")
        return _input.check_array_info(
            data, info=self.info, sfreq=self.sfreq, fitted_info=fitted_info
        )

    def _check_channels(self, info, kind=None):
        """Transform-time channels must be those seen at fit."""
        names = list(info.ch_names)
        if names == self.ch_names_:
            return
        missing = [c for c in self.ch_names_ if c not in names]
        extra = [c for c in names if c not in self.ch_names_]
        if kind == "evoked" and missing:
            raise ValueError(_input.evoked_mismatch_message(
                missing, self.info_, type(self).__name__))
        if not missing and not extra:
            raise ValueError(
                "The channels are those seen at fit but in another order. "
                f"Reorder them with inst.reorder_channels({self.ch_names_[:3]}...)."
            )
        raise ValueError(
            f"The channels differ from those seen at fit: missing {missing[:5]}, "
            f"extra {extra[:5]}. Pick the fitted channels "
            "(inst.pick(denoiser.ch_names_)) or refit on these channels."
        )

    def fit(self, X, y=None, **fit_params):
        """Fit the denoiser.

        Parameters
        ----------
        X : Epochs | list of Epochs | Raw | array, shape (n_epochs, n_channels, n_times) | array, shape (n_segments, n_times)
            Training data. EEG channels are cleaned; EOG/EMG channels are
            noise references.
        y : None
            Ignored; present for Pipeline compatibility.
        **fit_params : dict
            Subclass-specific (see the subclass's ``fit``).

        Returns
        -------
        self : instance
            The fitted denoiser.
        """  # noqa: E501
        self._check_params()
        data, info, _ = self._check_input(X, reset=True)
        self.info_ = info
        self.sfreq_ = float(info["sfreq"])
        self.ch_names_ = list(info.ch_names)
        self.clean_idx_, self.ref_idx_ = _input.channel_indices(info)
        _input.warn_mistyped_channels(info)
        if len(self.clean_idx_) == 0:
            raise ValueError(
                "No EEG channel to clean: the info has channel types "
                f"{sorted(set(info.get_channel_types()))}. Set the EEG channels' "
                "type with inst.set_channel_types({...: 'eeg'})."
            )
        self._fit(data, info, **fit_params)
        return self

    def _fit(self, data, info, **fit_params):
        if fit_params:
            raise TypeError(
                f"{type(self).__name__}.fit got unexpected parameters "
                f"{sorted(fit_params)}."
            )

    def _references(self, data):
        """Noise reference per EEG channel, (n_epochs, n_eeg, n_times), or None."""
        return None

    def _run_windows(self, z, noise_z):
        raise NotImplementedError

    def _denoise(self, data, sfreq, *, use_references=True):
        out = data.copy()
        refs = self._references(data) if use_references else None
        n_ep, _, n_times = data.shape
        n_clean = len(self.clean_idx_)
        signals = data[:, self.clean_idx_].reshape(-1, n_times)
        if refs is not None:
            refs = refs.reshape(-1, n_times)
        cleaned = np.empty_like(signals)
        # Chunks keep the memory of long recordings bounded.
        chunk = 2048
        for start in range(0, len(signals), chunk):
            sl = slice(start, start + chunk)
            cleaned[sl] = _windowing.denoise_signals(
                signals[sl], sfreq, model_sfreq=self._model_sfreq,
                n_window=self._n_window, overlap=self.overlap,
                run=self._run_windows,
                references=None if refs is None else refs[sl],
                # Long epochs go block by block (the same result, to round-off).
                n_block="auto",
            )
        out[:, self.clean_idx_] = cleaned.reshape(n_ep, n_clean, n_times)
        return out

    def transform(self, X):
        """Remove artifacts from the EEG channels of ``X``.

        Parameters
        ----------
        X : Epochs | list of Epochs | array, shape (n_epochs, n_channels, n_times) | array, shape (n_segments, n_times)
            Data with the channels seen at ``fit``.

        Returns
        -------
        X_new : Epochs | array
            Epochs in, new Epochs out (info, events, metadata and annotations
            kept, data in volts); an array in, an array of the same shape out;
            a list of Epochs (scikit-learn's indexing of Epochs) in, a 3-D
            array out. Reference and other non-EEG channels pass unchanged.
        """  # noqa: E501
        data, info, kind = self._transform_input(X)
        out = self._denoise(data, float(info["sfreq"]))
        return self._wrap(out, X, kind)

    def _transform_input(self, X):
        """``X`` checked against what ``fit`` saw: ``(data, info, kind)``.

        Shared by ``transform`` and every method that looks at data the way
        ``transform`` does (``decompose``, ``artifact_scores``, ...). The
        channels must be those seen at ``fit``, except for 2-D arrays
        (single-channel segments) and 3-D arrays without an ``info``.
        """
        check_is_fitted(self, "info_")
        data, info, kind = self._check_input(X, reset=False)
        if kind != "array2d" and (kind != "array3d" or self.info is not None):
            self._check_channels(info, kind)
        return data, info, kind

    def apply(self, inst, *, block_duration=None, verbose=None):
        """Clean an MNE object and return a new one of the same kind.

        Parameters
        ----------
        inst : Raw | Epochs | Evoked
            Data with the channels seen at ``fit``. Raw data are cleaned in
            overlapping windows with overlap-add, whatever their length.
        block_duration : float | None
            Raw only: seconds of recording whose windows are cleaned at once.
            ``None`` chooses blocks of about 16 MB of windows (about a
            minute of 64 channels; see :ref:`long-recordings`). Memory then
            stays at the output plus a constant, whatever the length of the
            recording, and the result is that of cleaning all windows at once
            (to float64 round-off). Denoisers that do not work in windows
            (band-pass, regression, ICA) clean the whole recording at once.
        verbose : bool | str | int | None
            Show a progress bar over the blocks of a Raw; ``None`` follows
            the denoiser's ``verbose`` parameter where it has one.

        Returns
        -------
        inst_clean : Raw | Epochs | Evoked
            A cleaned copy; ``inst`` itself is not modified.
        """
        if not isinstance(inst, mne.io.BaseRaw | mne.BaseEpochs | mne.Evoked):
            raise TypeError(
                "apply takes an mne.io.Raw, mne.Epochs or mne.Evoked, got "
                f"{type(inst).__name__}; use transform for arrays."
            )
        check_is_fitted(
            self, "info_",
            msg="This %(name)s is not fitted yet. " + self._unfitted_hint,
        )
        if block_duration is not None:
            _check_positive(block_duration, "block_duration")
        parts = self._windowed_parts() if isinstance(inst, mne.io.BaseRaw) else None
        if parts is None:
            return self.transform(inst)
        if verbose is None:
            verbose = getattr(self, "verbose", None)
        return self._apply_raw(inst, *parts, block_duration=block_duration,
                               progress=_progress_wanted(verbose))

    def _windowed_parts(self):
        """``(prepare, run)`` of the windowed path, or None.

        ``prepare(data)`` returns ``(data, references)`` for data ``(n_epochs,
        n_channels, n_times)`` as the windowed path sees them, and ``run`` is
        the ``run`` of :func:`~mne_denoise.utils._windowing.denoise_signals`.
        None when ``_denoise`` is not the windowed path of this class (the
        denoiser then works on the whole data at once).
        """
        if hasattr(self, "_clean_windows"):  # the low-rank denoisers
            if self._joint:
                return None
            return _no_references, lambda z, _noise: self._clean_windows(z, False)[-1]
        if type(self)._denoise is BaseDenoiser._denoise:
            return (lambda data: (data, self._references(data))), self._run_windows
        return None

    #: Name of the fitted attribute holding a transfer-function filter of
    #: the references (frequency-domain regression), if the class has one.
    _transfer_attr = None

    @property
    def _prepare_reach(self):
        """Samples ``(behind, ahead)`` that one prepared sample depends on.

        (0, 0) where preparing (regressing the references out, the
        instantaneous maps) works sample by sample; a filter of the
        references (frequency-domain regression, the attribute named by
        ``_transfer_attr``) reads around each sample, so blocks and streams
        read that much context.
        """
        from ._transfer import transfer_reach

        taps = getattr(self, self._transfer_attr or "", None)
        return (0, 0) if taps is None else transfer_reach(taps)

    def _apply_raw(self, raw, prepare, run, *, block_duration, progress):
        """Clean a Raw block by block, in place in its copy."""
        self._check_channels(raw.info)
        sfreq = float(raw.info["sfreq"])
        new = raw.copy().load_data()
        data = new._data  # read ahead of the writes, which trail behind
        n_times = data.shape[1]
        for row in data:  # one channel at a time: no recording-sized mask
            if not np.isfinite(row).all():
                _input._finite(data[np.newaxis])
        # Every prepared block sees the recording's channel means, as the
        # whole recording would (a reference demeaned over the recording):
        # one extra sample per block pins each channel's mean to them.
        means = data.mean(axis=-1)
        # A filter of the references reads its reach around each block; at
        # the recording's edges the block is extended by the reflection that
        # the whole recording gets there, so that the pin stays out of reach.
        reach = max(self._prepare_reach)

        def prepared(a, b):
            lo, hi = max(0, a - reach), min(n_times, b + reach)
            block = data[:, lo:hi]
            left = reach - (a - lo) if lo == 0 else 0
            right = reach - (hi - b) if hi == n_times else 0
            if left or right:
                block = np.pad(block, ((0, 0), (left, right)), mode="reflect")
            pin = means * (block.shape[1] + 1) - block.sum(axis=-1)
            d, refs = prepare(np.concatenate([block, pin[:, None]], axis=1)[None])
            i, j = a - lo + left, b - lo + left
            return d[0, :, i:j], None if refs is None else refs[0, :, i:j]

        step = max(1, int(60 * sfreq))
        idx = np.asarray(self.clean_idx_)
        lo, hi = np.full(len(idx), np.inf), np.full(len(idx), -np.inf)
        for a in range(0, n_times, step):
            d = prepared(a, min(a + step, n_times))[0][idx]
            lo, hi = np.minimum(lo, d.min(axis=-1)), np.maximum(hi, d.max(axis=-1))
        flat = lo == hi
        rows, flat_rows = idx[~flat], idx[flat]
        n_ref = 0
        if not len(rows) or n_times * self._model_sfreq / sfreq < 2 * self._n_window:
            return self.transform(raw)  # short: nothing to gain

        def read(a, b):
            d, refs = prepared(a, b)
            # Flat channels pass through prepared, as in the whole path.
            data[flat_rows, a:b] = d[flat_rows]
            if refs is None:
                return d[rows]
            return np.concatenate([d[rows], refs[~flat]])

        if self._references_of(prepared):
            n_ref = len(rows)

        def write(a, cleaned):
            data[rows, a:a + cleaned.shape[1]] = cleaned

        n_block = None
        if block_duration is not None:
            hop = max(1, int(round(self._n_window * (1.0 - self.overlap))))
            n_block = max(1, int(round(block_duration * self._model_sfreq / hop)))
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=n_times, desc=f"Cleaning with {type(self).__name__}",
                       unit="sample", unit_scale=True)

        def advance(n_read):
            bar.update(n_read - bar.n)

        try:
            _windowing.denoise_blocked(
                read, len(rows) + n_ref, n_times, sfreq,
                model_sfreq=self._model_sfreq, n_window=self._n_window,
                overlap=self.overlap, run=run, write=write, n_references=n_ref,
                n_block=n_block, progress=None if bar is None else advance)
        finally:
            if bar is not None:
                bar.close()
        return new

    @staticmethod
    def _references_of(prepared):
        """Whether the prepared data come with references."""
        return prepared(0, 1)[1] is not None

    @staticmethod
    def _wrap(out, X, kind):
        if kind == "array2d":
            return out[:, 0, :]
        if kind in ("array3d", "epochs_list"):
            return out
        if kind == "evoked":
            new = X.copy()
            new.data = out[0]
            return new
        new = X.copy().load_data()
        new._data[:] = out[0] if kind == "raw" else out
        return new

    # ------------------------------------------------------------------
    # Persistence
    def save(self, fname, *, overwrite=False):
        """Save the fitted denoiser (parameters, fitted state and weights).

        The file holds only what ``torch.load(..., weights_only=True)`` reads
        (tensors, numbers, strings, lists, dicts), the package version and a
        checksum. Parameters that are objects are stored as descriptions: an
        ``mne.Info``, paths, numpy values, classes by import path (a network
        class given as ``module``, learning-rate policies) and skorch
        callbacks (their class and the parameters they do not leave at the
        defaults). A parameter that cannot be described (a function, a random
        generator, a callback class defined inside a function...) is left
        out with a warning that names it, and :func:`~mne_denoise.read_denoiser`
        gives it its default.

        Parameters
        ----------
        fname : path-like
            Output file, conventionally ``*.pt``.
        overwrite : bool
            Overwrite an existing file.

        Raises
        ------
        TypeError
            When the network class (``module``) has no import path (it is
            defined in ``__main__`` or inside a function).

        See Also
        --------
        mne_denoise.read_denoiser
        """
        self._check_savable()
        _io.save(self, fname, overwrite=overwrite)

    def _check_savable(self):
        """Raise when the denoiser cannot be written to a file (never here)."""

    def _fitted_state(self):
        """Fitted attributes as torch.load(weights_only=True)-safe values."""
        return {
            "info_": _io.info_to_dict(self.info_),
            "n_features_in_": int(self.n_features_in_),
        }

    def _restore(self, fitted, device):
        self.info_ = _io.info_from_dict(fitted["info_"])
        self.sfreq_ = float(self.info_["sfreq"])
        self.ch_names_ = list(self.info_.ch_names)
        self.clean_idx_, self.ref_idx_ = _input.channel_indices(self.info_)
        self.n_features_in_ = fitted["n_features_in_"]
        return self

