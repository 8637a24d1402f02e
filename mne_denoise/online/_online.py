# License: BSD-3-Clause
"""OnlineDenoiser: a fitted denoiser cleaning samples as they arrive."""

import mne
import numpy as np
from scipy.signal import lfilter, lfilter_zi
from sklearn.utils.validation import check_is_fitted

from .._protocol import NYQUIST_MARGIN
from ..denoisers import (
    BandpassDenoiser,
    BaseDenoiser,
    ICADenoiser,
    ICLabelDenoiser,
    RegressionDenoiser,
)
from ..utils._checks import _check_positive, _validate_type
from ..utils._windowing import OverlapAddStream

#: Denoisers whose cleaning is a fixed map of each sample (across channels):
#: they clean a stream chunk by chunk, with no delay.
_INSTANTANEOUS = (RegressionDenoiser, ICADenoiser, ICLabelDenoiser)


class OnlineDenoiser:
    """Clean a stream chunk by chunk with a fitted denoiser.

    Wraps any fitted denoiser of the package and keeps the state a stream
    needs between chunks: :meth:`push` takes the next samples, of any number,
    and returns as many cleaned samples as have become final, a constant
    :attr:`delay` behind the input. The cleaned stream equals the denoiser's
    offline ``apply`` on the whole recording from the end of the first
    window on (the first window sees no past; the last samples of a
    recording, cleaned offline by a window flush with its end, never come
    out of a stream).

    Parameters
    ----------
    denoiser : BaseDenoiser
        A fitted denoiser (any of the package). The stream has the channels
        it was fitted on, in that order.
    sfreq : float | None
        Sampling rate of the stream; by default that of the fitted data.
        Deep and low-rank denoisers work at any rate; the others at the
        fitted one.

    Attributes
    ----------
    delay : int
        Samples between a sample's arrival and its cleaned value's return.
    latency : float
        ``delay`` in seconds (plus, in practice, the compute time of a hop).
    n_pushed, n_returned : int
        Samples received and returned so far.

    See Also
    --------
    mne_denoise.online.clean_lsl_stream : the same on an LSL stream.

    Notes
    -----
    How each kind of denoiser streams:

    * Deep denoisers (:class:`~mne_denoise.FreqDomainDenoiser`,
      :class:`~mne_denoise.LowRankUnfoldedDenoiser`, the zoo, the gate
      included) and :class:`~mne_denoise.LowRankDenoiser` (Hankel
      embedding): windows every hop, overlap-added as offline
      (:class:`~mne_denoise.utils._windowing.OverlapAddStream`). A sample is
      final once the last window that covers it is complete: the delay is
      one window (2 s) plus the resampling filters' reach, whatever the
      chunk size. Matches ``apply`` to float64 round-off (tested, relative
      1e-9). In reference mode, :class:`~mne_denoise.FreqDomainDenoiser`
      subtracts the references' share first: by default one least-squares
      number per reference, no delay; with
      ``reference_regression='frequency'`` a 1-s filter of the references that
      reads 0.5 s ahead, which adds 0.5 s to the delay. Either share is of the
      references demeaned by their mean over the recording, which a stream
      cannot know: it uses their mean over its first second, so the output
      differs from ``apply`` by a constant per EEG channel (and, through the
      resampling of that constant, by about 1e-4 of the signal).
    * :class:`~mne_denoise.RegressionDenoiser`, :class:`~mne_denoise.ICADenoiser`,
      :class:`~mne_denoise.ICLabelDenoiser`: a fixed map of each sample, no
      delay. ICA's equals ``apply``; regression demeans the references by
      their mean over the data (as MNE's ``EOGRegression``), for which a
      stream uses their mean over the first chunk: a constant per EEG
      channel apart from ``apply``. ``RegressionDenoiser(domain='frequency')``
      filters the references, 0.5 s ahead: a delay of 0.5 s.
    * :class:`~mne_denoise.BandpassDenoiser` with ``method="fir"``: the same
      linear-phase FIR filter as ``mne.filter.filter_data``, run causally:
      the delay is half the filter length; equal to ``apply`` (round-off of
      MNE's FFT convolution) away from the start. ``method="iir"`` filters
      forward and backward, which no stream can do: it is refused.

    Examples
    --------
    >>> import numpy as np
    >>> from mne_denoise import BandpassDenoiser
    >>> from mne_denoise.online import OnlineDenoiser
    >>> X = np.random.default_rng(0).normal(size=(2, 3, 1024)) * 1e-5
    >>> den = BandpassDenoiser(1.0, 40.0, sfreq=256.0, method="fir").fit(X)
    >>> online = OnlineDenoiser(den)
    >>> cleaned = [online.push(X[0][:, i:i + 8]) for i in range(0, 1024, 8)]
    >>> sum(c.shape[1] for c in cleaned) == 1024 - online.delay
    True
    """

    def __init__(self, denoiser, *, sfreq=None):
        _validate_type(denoiser, BaseDenoiser, "denoiser", "a denoiser of "
                       "mne_denoise")
        check_is_fitted(denoiser, "info_",
                        msg="OnlineDenoiser needs a fitted denoiser: call "
                        "denoiser.fit(inst) first.")
        self.denoiser = denoiser
        fitted = float(denoiser.info_["sfreq"])
        if sfreq is not None:
            _check_positive(sfreq, "sfreq")
        self.sfreq = fitted if sfreq is None else float(sfreq)
        self.ch_names = list(denoiser.ch_names_)
        self.n_channels = len(self.ch_names)
        self._clean = np.asarray(denoiser.clean_idx_)
        # Samples of the future that preparing one sample reads (a filter of
        # the references), added to the delay.
        self._reach = denoiser._prepare_reach
        parts = denoiser._windowed_parts()
        if parts is not None:
            self._kind = "windowed"
            self._prepare, self._run = parts
            self.delay = OverlapAddStream(
                1, self.sfreq, model_sfreq=denoiser._model_sfreq,
                n_window=denoiser._n_window, overlap=denoiser.overlap,
                run=self._run).delay + self._reach[1]
        elif isinstance(denoiser, _INSTANTANEOUS):
            self._kind = "instantaneous"
            self.delay = self._reach[1]
        elif isinstance(denoiser, BandpassDenoiser):
            self._kind = "fir"
            self._fir = self._bandpass_filter(denoiser)
            self.delay = 0 if self._fir is None else (len(self._fir) - 1) // 2
        else:
            raise ValueError(
                f"{type(denoiser).__name__} cannot clean a stream"
                + (" with this embedding (it cleans all channels of a window "
                   "at once); use embedding='hankel'."
                   if hasattr(denoiser, "_clean_windows") else "."))
        if self._kind != "windowed" and not np.isclose(self.sfreq, fitted):
            raise ValueError(
                f"{type(denoiser).__name__} cleans data at the fitted rate "
                f"({fitted:g} Hz); the stream is at {self.sfreq:g} Hz. Fit it "
                "on data at the stream's rate.")
        self.reset()

    def _bandpass_filter(self, den):
        if den.method != "fir":
            raise ValueError(
                "BandpassDenoiser(method='iir') filters forward and backward "
                "(zero phase), which needs the future of the signal; a stream "
                "cannot. Use BandpassDenoiser(..., method='fir'): a linear-"
                "phase FIR filter, the same offline and online up to a delay "
                "of half its length.")
        nyq = self.sfreq / 2.0
        h_freq = den.h_freq if den.h_freq is not None \
            and den.h_freq < NYQUIST_MARGIN * nyq else None
        if den.l_freq is None and h_freq is None:
            return None
        # The filter filter_data designs (and applies with its delay removed).
        return mne.filter.create_filter(None, self.sfreq, den.l_freq, h_freq,
                                        method="fir", verbose=False)

    @property
    def latency(self):
        """The delay in seconds."""
        return self.delay / self.sfreq

    def reset(self):
        """Forget the stream: the next push starts a new one."""
        self.n_pushed = 0
        self.n_returned = 0
        self._pending = []  # (n_channels, n) input, waiting for its output
        self._ready = np.empty((len(self._clean), 0))
        self._stream = None
        self._zi = None
        self._means = None
        self._ahead = None
        if any(self._reach):
            # The buffer, pinned to the stream's means (the pin sits past
            # what the filter reads for the samples returned).
            if self._kind == "windowed":
                def prepare(x):
                    return self._prepare(self._pinned(x[0])[None])
            else:
                def prepare(x):
                    return self.denoiser._denoise(self._pinned(x[0])[None],
                                                  self.sfreq), None
            self._ahead = _LookAhead(prepare, *self._reach)
        # The causal FIR filter's first outputs belong before the stream.
        self._skip = self.delay if self._kind == "fir" else 0
        return self

    # ------------------------------------------------------------------
    def push(self, chunk):
        """Clean the next samples of the stream.

        Parameters
        ----------
        chunk : array, shape (n_channels, n_samples)
            The next samples of every fitted channel, in the fitted order
            (``n_samples`` may be 0).

        Returns
        -------
        cleaned : array, shape (n_channels, n_final)
            Cleaned samples ``[n_returned, n_returned + n_final)`` of the
            stream (before this call's ``n_returned``), where ``n_returned +
            n_final == max(0, n_pushed - delay)``. EEG channels are cleaned,
            the others pass unchanged (delayed alike).
        """
        chunk = np.asarray(chunk, dtype=np.float64)
        if chunk.ndim != 2 or chunk.shape[0] != self.n_channels:
            raise ValueError(
                f"chunk must have shape (n_channels={self.n_channels}, "
                f"n_samples) with the fitted channels {self.ch_names[:3]}..., got "
                f"shape {chunk.shape}. MNE-LSL's stream.get_data() returns that "
                "(pick the fitted channels first).")
        if not np.isfinite(chunk).all():
            raise ValueError("chunk holds NaN or infinite values; replace them "
                             "(e.g. by the last good sample) before pushing.")
        self.n_pushed += chunk.shape[1]
        self._pending.append(chunk)
        if self._kind == "instantaneous":
            if self._means is None:
                self._means = chunk.mean(axis=-1)
            if self._ahead is not None:
                prepared = self._ahead.push(chunk)
                if prepared is not None:
                    self._ready = np.concatenate(
                        [self._ready, prepared[0][self._clean]], axis=1)
                return self._emit()
            out = self.denoiser._denoise(self._pinned(chunk)[None], self.sfreq)[0]
            return self._take_all(out[:, :chunk.shape[1]])
        if self._kind == "fir":
            return self._push_fir(chunk)
        return self._push_windowed(chunk)

    def _take_all(self, out):
        self._pending = []
        self.n_returned += out.shape[1]
        return out

    def _push_fir(self, chunk):
        if self._fir is None:
            return self._take_all(chunk.copy())
        eeg = chunk[self._clean]
        if self._zi is None:
            # Start as if the first sample had always been there (no step).
            self._zi = lfilter_zi(self._fir, 1.0)[None] * eeg[:, :1]
        filtered, self._zi = lfilter(self._fir, 1.0, eeg, axis=-1, zi=self._zi)
        skip = min(self._skip, filtered.shape[1])
        filtered, self._skip = filtered[:, skip:], self._skip - skip
        self._ready = np.concatenate([self._ready, filtered], axis=1)
        return self._emit()

    def _push_windowed(self, chunk):
        if self._stream is None:
            # The references' mean over the first second stands for their
            # mean over the recording (see the class notes).
            waiting = np.concatenate(self._pending, axis=1)
            if waiting.shape[1] < self.sfreq:
                return np.empty((self.n_channels, 0))
            self._means = waiting.mean(axis=-1)
            self._start_stream(waiting)
            chunk = waiting
        if self._ahead is None:
            data, refs = self._prepared(chunk)
        else:
            prepared = self._ahead.push(chunk)
            if prepared is None:
                return self._emit()
            data, refs = prepared
        rows = data[self._clean] if refs is None else np.concatenate(
            [data[self._clean], refs])
        _, cleaned = self._stream.push(rows)
        self._ready = np.concatenate([self._ready, cleaned], axis=1)
        return self._emit()

    def _pinned(self, chunk):
        """``chunk`` and one more sample that pins each channel's mean.

        What demeans references over the data (MNE's EOGRegression,
        FreqDomainDenoiser's reference mode) then removes the same constant,
        ``self._means``, from every chunk, as BaseDenoiser.apply does for Raw.
        """
        pin = self._means * (chunk.shape[1] + 1) - chunk.sum(axis=-1)
        return np.concatenate([chunk, pin[:, None]], axis=1)

    def _prepared(self, chunk):
        data, refs = self._prepare(self._pinned(chunk)[None])
        n = chunk.shape[1]
        return data[0, :, :n], None if refs is None else refs[0, :, :n]

    def _start_stream(self, first):
        den = self.denoiser
        refs = self._prepared(first)[1]
        self._stream = OverlapAddStream(
            len(self._clean), self.sfreq, model_sfreq=den._model_sfreq,
            n_window=den._n_window, overlap=den.overlap, run=self._run,
            n_references=0 if refs is None else len(self._clean), n_block=1)
        self.delay = self._stream.delay + self._reach[1]

    def _emit(self):
        """Return the samples up to ``n_pushed - delay``, all channels."""
        n = max(0, self.n_pushed - self.delay) - self.n_returned
        if n <= 0:
            return np.empty((self.n_channels, 0))
        waiting = np.concatenate(self._pending, axis=1)
        out = waiting[:, :n].copy()
        self._pending = [waiting[:, n:]]
        # The other channels pass unchanged (_gated_input changes only EEG).
        out[self._clean] = self._ready[:, :n]
        self._ready = self._ready[:, n:]
        self.n_returned += n
        return out


class _LookAhead:
    """Prepare a stream as the whole recording would be, ``ahead`` late.

    ``prepare`` maps ``(1, n_channels, n)`` data to ``(data, refs)`` where
    each output sample reads ``behind`` samples before it and ``ahead``
    after (a filter of the references, reflected at the data's edges). The
    buffer keeps that context: a sample is returned once its ``ahead``
    samples have arrived, and the stream's first samples see the reflection
    at its start, as ``apply`` sees it at the recording's.
    """

    def __init__(self, prepare, behind, ahead):
        self.prepare, self.behind, self.ahead = prepare, behind, ahead
        self._buf = None
        self._start = 0  # stream index of the buffer's first sample
        self._done = 0  # stream index of the next sample to return

    def push(self, chunk):
        """``(data, refs)`` of the samples now final, or None if there are none."""
        buf = chunk if self._buf is None else np.concatenate([self._buf, chunk],
                                                             axis=1)
        last = self._start + buf.shape[1] - self.ahead
        if last <= self._done:
            self._buf = buf
            return None
        data, refs = self.prepare(buf[np.newaxis])
        i, j = self._done - self._start, last - self._start
        out = data[0, :, i:j], None if refs is None else refs[0, :, i:j]
        keep = max(self._start, last - self.behind)
        self._buf = buf[:, keep - self._start:]
        self._start, self._done = keep, last
        return out
