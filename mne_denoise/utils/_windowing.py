# License: BSD-3-Clause
"""Resampling to the model rate, windowing, standardization and overlap-add.

The one home of the windowing maths: inference (:mod:`mne_denoise.denoisers`
cleans windows and puts them back), the training banks
(:mod:`mne_denoise.datasets` cut windows) and the figures
(:mod:`mne_denoise.viz`) all use these functions. NumPy and SciPy only.
"""

from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

from .._protocol import EPS, standardize

#: Largest relative error of the achieved rate that :func:`resample_ratio`
#: accepts.
_RATE_TOLERANCE = 1e-3


def resample_ratio(sfreq_in, sfreq_out):
    """Rational ``(up, down)`` with ``sfreq_in * up / down ~= sfreq_out``.

    The denominator is at most 1000 (so that polyphase filters stay short).
    A ratio that cannot be met within 0.1 % raises, naming the rates: a
    model run at a rate that far from its own would see shifted spectra.
    """
    ratio = float(sfreq_out) / float(sfreq_in)
    frac = Fraction(ratio).limit_denominator(1000)
    up, down = frac.numerator, frac.denominator
    achieved = float(sfreq_in) * up / down
    if abs(achieved - sfreq_out) > _RATE_TOLERANCE * sfreq_out:
        raise ValueError(
            f"Cannot resample {sfreq_in:g} Hz to {sfreq_out:g} Hz with a "
            f"rational factor of denominator <= 1000 (best: {up}/{down}, "
            f"giving {achieved:.6g} Hz). Resample the input first, e.g. with "
            "inst.resample()."
        )
    return up, down


def resample(data, up, down):
    """Polyphase resampling along the last axis (identity when up == down)."""
    if up == down:
        return np.array(data, dtype=np.float64, copy=True)
    # padtype="line" extends each signal along its linear trend instead of
    # with zeros, so edges do not droop (which the network would then "clean").
    return resample_poly(data, up, down, axis=-1, padtype="line")


def window_starts(n_times, n_window, overlap):
    """Start indices of windows covering ``n_times`` samples, last one flush."""
    if n_times <= n_window:
        return np.array([0])
    hop = max(1, int(round(n_window * (1.0 - overlap))))
    starts = list(range(0, n_times - n_window + 1, hop))
    if starts[-1] != n_times - n_window:
        starts.append(n_times - n_window)
    return np.array(starts)


def pad_to(x, n_window):
    """Reflect-pad the last axis up to ``n_window`` samples (no-op if longer)."""
    n = x.shape[-1]
    if n >= n_window:
        return x
    widths = [(0, 0)] * (x.ndim - 1) + [(0, n_window - n)]
    return np.pad(x, widths, mode="reflect" if n > 1 else "edge")


def to_windows(x, starts, n_window):
    """Cut ``(n_signals, n_times)`` into ``(n_signals, n_starts, n_window)``."""
    idx = starts[:, np.newaxis] + np.arange(n_window)
    return x[:, idx]


def overlap_add(windows, starts, n_times):
    """Inverse of :func:`to_windows` with tapered, normalized cross-fades.

    Each window is weighted by a Hann taper (plus a floor so that the outer
    edges of the signal, covered by a single window, keep their samples), and
    the sum is divided by the summed weights: an identity on unchanged input.
    """
    n_sig, _, n_window = windows.shape
    taper = np.hanning(n_window + 2)[1:-1] + 1e-3
    out = np.zeros((n_sig, n_times))
    weight = np.zeros(n_times)
    for k, s in enumerate(starts):
        out[:, s:s + n_window] += windows[:, k] * taper
        weight[s:s + n_window] += taper
    return out / weight


class Windowing:
    """Signals at the model rate, cut into windows, and the way back.

    Holds what the inverse needs: the resampling ratio, the window starts and
    the lengths. Shared by :func:`denoise_signals` (one channel per window)
    and :func:`denoise_epochs_jointly` (all channels of an epoch per window).
    """

    def __init__(self, signals, sfreq, model_sfreq, n_window, overlap):
        self.n_times = signals.shape[-1]
        self.n_window = n_window
        self.up, self.down = resample_ratio(sfreq, model_sfreq)
        x = resample(signals, self.up, self.down)
        self.n_model = x.shape[-1]
        x = pad_to(x, n_window)
        self.n_padded = x.shape[-1]
        self.starts = window_starts(self.n_padded, n_window, overlap)
        #: (n_signals, n_windows, n_window)
        self.windows = to_windows(x, self.starts, n_window)

    def cut(self, other):
        """Windows of another signal set (e.g. references) at the same places."""
        x = pad_to(resample(other, self.up, self.down), self.n_window)
        return to_windows(x, self.starts, self.n_window)

    def standardized(self, references=None):
        """The windows standardized as the protocol does, for the network.

        Parameters
        ----------
        references : array, shape (n_signals, n_times) | None
            A noise reference per signal, cut at the same places and scaled
            by the same standard deviations, or None.

        Returns
        -------
        windows : array, shape (n_signals * n_windows, n_window)
            The raw windows, flattened signal by signal.
        z : array, shape (n_signals * n_windows, n_window)
            Standardized windows.
        mean, std : array, shape (n_signals * n_windows, 1)
            What was removed (:func:`mne_denoise._protocol.standardize`).
        noise_z : array, shape (n_signals * n_windows, n_window) | None
            The references' windows divided by ``std``.
        """
        windows = self.windows.reshape(-1, self.n_window)
        z, mean, std = standardize(windows)
        noise_z = None
        if references is not None:
            noise_z = self.cut(references).reshape(-1, self.n_window) / std
        return windows, z, mean, std, noise_z

    def correction_back(self, correction):
        """Overlap-add ``(n_signals, n_windows, n_window)`` back to the input rate."""
        out = overlap_add(correction, self.starts, self.n_padded)[:, : self.n_model]
        out = resample(out, self.down, self.up)
        if out.shape[-1] < self.n_times:
            out = np.pad(out, [(0, 0), (0, self.n_times - out.shape[-1])])
        return out[:, : self.n_times]


def denoise_signals(signals, sfreq, *, model_sfreq, n_window, overlap, run,
                    references=None, n_block=None):
    """Resample, window, standardize, denoise and put back at the input rate.

    Parameters
    ----------
    signals : array, shape (n_signals, n_times)
        Signals to clean (one channel of one epoch each).
    sfreq : float
        Their sampling rate.
    model_sfreq : float
        The network's rate.
    n_window : int
        The network's window in samples.
    overlap : float
        Fraction of overlap between windows.
    run : callable
        ``run(z, noise_z) -> denoised_z`` on standardized windows
        ``(n_windows, n_window)``; ``noise_z`` is None without references.
    references : array, shape (n_signals, n_times) | None
        A noise reference per signal (same units), or None.
    n_block : int | "auto" | None
        Windows per signal run at once. ``None`` runs every window of the
        signals in one call of ``run``; an int, or ``"auto"``
        (:func:`block_windows`), runs signals longer than two blocks block by
        block (:class:`OverlapAddStream`): the same result (to float64
        round-off) in memory that does not grow with the length.

    Returns
    -------
    cleaned : array, shape (n_signals, n_times)

    Notes
    -----
    The *correction* (what the network removes) is resampled back to the
    input rate and subtracted from the untouched input, so whatever the
    network leaves alone comes out bit-exact, without resampling error.
    """
    n_sig, n_times = signals.shape
    # Constant (flat) signals have nothing to remove; resampling ripple would
    # otherwise be standardized up to unit variance and "cleaned".
    flat = np.ptp(signals, axis=-1) == 0
    if flat.any():
        out = signals.copy()
        if (~flat).any():
            out[~flat] = denoise_signals(
                signals[~flat], sfreq, model_sfreq=model_sfreq, n_window=n_window,
                overlap=overlap, run=run,
                references=None if references is None else references[~flat],
                n_block=n_block)
        return out
    if n_block is not None:
        up, down = resample_ratio(sfreq, model_sfreq)
        n_model = _ceil_div(n_times * up, down)
        hop = max(1, int(round(n_window * (1.0 - overlap))))
        if n_block == "auto":
            n_block = block_windows(n_sig, n_window,
                                    input_per_window=hop * down / up)
        if n_model >= n_window and (n_model - n_window) // hop + 2 > 2 * n_block:
            rows = signals if references is None else np.concatenate(
                [signals, references])
            out = np.empty_like(signals)

            def write(start, cleaned):
                out[:, start:start + cleaned.shape[1]] = cleaned

            denoise_blocked(lambda a, b: rows[:, a:b], len(rows), n_times, sfreq,
                            model_sfreq=model_sfreq, n_window=n_window,
                            overlap=overlap, run=run, write=write,
                            n_references=len(rows) - n_sig, n_block=n_block)
            return out
    w = Windowing(signals, sfreq, model_sfreq, n_window, overlap)
    n_win = len(w.starts)
    win, z, mean, std, noise_z = w.standardized(references)
    den = run(z, noise_z) * std + mean
    return signals - w.correction_back((win - den).reshape(n_sig, n_win, n_window))


def denoise_epochs_jointly(data, sfreq, *, model_sfreq, n_window, overlap, run):
    """:func:`denoise_signals` for windows that hold all channels of an epoch.

    Denoisers that look across channels (e.g. a channels x time matrix per
    window) need every channel of a window at once. The resampling, windows,
    overlap-add and the subtraction of the resampled correction are those of
    :func:`denoise_signals`; the standardization differs: each channel is
    demeaned, and all channels of a window share one scale (the standard
    deviation over channels and time), so that their relative amplitudes
    (the spatial pattern of an artifact) are kept. Flat (constant) channels
    of an epoch pass through unchanged, as in :func:`denoise_signals`.

    Parameters
    ----------
    data : array, shape (n_epochs, n_channels, n_times)
        Epochs to clean (only the channels to clean).
    sfreq : float
        Their sampling rate.
    model_sfreq : float
        The denoiser's rate.
    n_window : int
        The denoiser's window in samples.
    overlap : float
        Fraction of overlap between windows.
    run : callable
        ``run(z) -> denoised_z`` on standardized windows
        ``(n_epochs * n_windows, n_channels, n_window)``.

    Returns
    -------
    cleaned : array, shape (n_epochs, n_channels, n_times)
    """
    n_ep, n_ch, n_times = data.shape
    w = Windowing(data.reshape(n_ep * n_ch, n_times), sfreq, model_sfreq,
                   n_window, overlap)
    n_win = len(w.starts)
    # (n_ep, n_ch, n_win, n_window) -> (n_ep * n_win, n_ch, n_window)
    win = w.windows.reshape(n_ep, n_ch, n_win, n_window).transpose(0, 2, 1, 3)
    win = win.reshape(n_ep * n_win, n_ch, n_window)
    mean = win.mean(axis=-1, keepdims=True)
    std = (win - mean).std(axis=(1, 2), keepdims=True) + EPS
    den = run((win - mean) / std) * std + mean
    correction = (win - den).reshape(n_ep, n_win, n_ch, n_window)
    correction = correction.transpose(0, 2, 1, 3).reshape(n_ep * n_ch, n_win,
                                                           n_window)
    correction = w.correction_back(correction)
    cleaned = data - correction.reshape(n_ep, n_ch, n_times)
    flat = np.ptp(data, axis=-1) == 0
    cleaned[flat] = data[flat]
    return cleaned


# ----------------------------------------------------------------------------
# Block-wise overlap-add: long recordings in bounded memory, and live streams.

#: Bytes of windows one block holds (``n_signals * n_windows * n_window``
#: float64 samples), and at most of input samples it reads. The standardized
#: windows, the network's output, the correction and the resampling's
#: segments are a few times this: a block costs about 0.1 GB whatever the
#: length of the recording.
BLOCK_BYTES = 16 * 2**20


def block_windows(n_signals, n_window, *, block_bytes=None, input_per_window=0):
    """Windows per signal in one block of the block-wise path.

    Parameters
    ----------
    n_signals : int
        Signals cleaned together (the EEG channels of a recording).
    n_window : int
        Window length in samples at the model rate.
    block_bytes : int | None
        Memory of one block's windows (default :data:`BLOCK_BYTES`).
    input_per_window : float
        Input samples per signal that one more window reads (a hop at the
        input rate): at high rates the input, not the windows, is the
        larger part of a block.

    Returns
    -------
    n : int
        At least 4.
    """
    budget = BLOCK_BYTES if block_bytes is None else block_bytes
    per_window = 8 * max(1, n_signals) * max(n_window, input_per_window)
    return max(4, int(budget // per_window))


def _ceil_div(a, b):
    return -(-a // b)


def _resample_range(read, up, down, j0, j1):
    """Samples ``[j0, j1)`` of ``resample(x, up, down)``, computed from a part of x.

    ``read(i0, i1)`` returns the samples ``[i0, i1)`` of x, extended past its
    ends as ``padtype="line"`` extends them. The polyphase filter reaches a
    fixed number of input samples on each side, so a segment with that margin,
    starting at a multiple of ``down`` (the output grid is then the global
    one) and filtered with zero padding beyond its ends, gives bit for bit the
    samples of the whole-signal resampling.
    """
    if up == down:
        return read(j0, j1)
    reach = 10 * max(up, down) // up + 2  # resample_poly's half length + margin
    i0 = ((j0 * down) // up - reach) // down * down
    i1 = _ceil_div(j1 * down, up) + reach
    y = resample_poly(read(i0, i1), up, down, axis=-1, padtype="constant")
    off = i0 * up // down
    return y[:, j0 - off:j1 - off]


def _model_reach(up, down):
    """Model-rate samples that one input-rate sample of the way back depends on."""
    return 0 if up == down else 10 * max(up, down) // down + 2


class OverlapAddStream:
    """:func:`denoise_signals` on signals that arrive block by block.

    The windows, their standardization, the Hann-weighted overlap-add and the
    resampling both ways are those of :func:`denoise_signals`; the state that
    the next block needs (the input samples the resampling filter and the
    next windows reach back to, the overlap-add sums of the windows not yet
    complete, the correction the way back reaches back to) is carried from
    block to block, so memory stays constant whatever the length.

    Parameters
    ----------
    n_signals : int
        Signals cleaned (rows of what is pushed, before the references).
    sfreq : float
        Their sampling rate.
    model_sfreq : float
        The network's rate.
    n_window : int
        The network's window in samples.
    overlap : float
        Fraction of overlap between windows.
    run : callable
        As for :func:`denoise_signals`.
    n_references : int
        0, or ``n_signals``: a noise reference per signal, pushed as the last
        rows.
    n_times : int | None
        The whole length, when known (a recording): the windows, the edges
        and the last window (flush with the end) are then exactly those of
        :func:`denoise_signals` on the whole signals. ``None`` for a live
        stream: a window every hop from the first sample, the start extended
        flat, no end.
    edges : tuple of array | None
        With ``n_times``: the first and last samples of every row, which
        decide how the resampling extends the start (``padtype="line"``).
    n_block : int | None
        Windows per signal run at once (default: :func:`block_windows`).

    Notes
    -----
    With ``n_times``, the cleaned signals equal :func:`denoise_signals`'s
    to float64 round-off: the resampled windows are bit for bit the same,
    the network sees them in other batches, which
    :func:`mne_denoise.nn._skorch.predict_windows` makes irrelevant, and
    only reductions over blocks of other sizes may round differently. The
    first output samples depend, through the way back, on the last
    correction sample: they are returned by :meth:`finish`.
    A live stream matches the recording's cleaning from the end of its first
    window on; :attr:`delay` is the constant lag of :meth:`push`'s output
    behind its input.
    """

    def __init__(self, n_signals, sfreq, *, model_sfreq, n_window, overlap, run,
                 n_references=0, n_times=None, edges=None, n_block=None):
        self.up, self.down = resample_ratio(sfreq, model_sfreq)
        self.n_signals = int(n_signals)
        self.n_rows = self.n_signals + int(n_references)
        self.n_window = int(n_window)
        self.hop = max(1, int(round(n_window * (1.0 - overlap))))
        self.run = run
        self.n_block = n_block or block_windows(
            self.n_rows, n_window,
            input_per_window=self.hop * self.down / self.up)
        self._taper = np.hanning(n_window + 2)[1:-1] + 1e-3
        self._reach_back = _model_reach(self.up, self.down)
        self.n_times = n_times
        self.n_in = 0
        self._x, self._x0 = np.empty((self.n_rows, 0)), 0
        self._k = 0
        self._acc = np.zeros((self.n_signals, 0))
        self._w, self._a0 = np.zeros(0), 0
        self._c, self._c0 = np.zeros((self.n_signals, 0)), 0
        if n_times is None:
            self.n_out = 0
            self._starts = None
            self.delay = self._stream_delay()
            return
        self.n_model = _ceil_div(n_times * self.up, self.down)
        if self.n_model < n_window or n_times < 2:
            raise ValueError(
                f"The block-wise path needs at least one window ({n_window} "
                f"samples at {model_sfreq:g} Hz); got {n_times} samples. Use "
                "denoise_signals for short signals.")
        self._starts = window_starts(self.n_model, n_window, overlap)
        self.n_back = _ceil_div(self.n_model * self.down, self.up)
        first, last = (np.asarray(e, dtype=np.float64) for e in edges)
        # padtype="line": the line through the whole signal's end points.
        self._first, self._last = first, last
        self._slope = (last - first) / (n_times - 1)
        # Outputs whose way back reaches before the start wait for finish():
        # their extension depends on the last correction sample.
        self.n_out = min(n_times, _ceil_div(self._reach_back * self.down, self.up))
        self._head_in = None
        self._head_c = None
        self.delay = None

    # -- where things are -------------------------------------------------
    def _start(self, k):
        if self._starts is None:
            return k * self.hop
        return int(self._starts[k]) if k < len(self._starts) else None

    def _input_needed(self, j1):
        """Input samples needed to resample the model rate up to ``j1``."""
        if self.up == self.down:
            return j1
        return _ceil_div(j1 * self.down, self.up) + 10 * max(self.up, self.down) \
            // self.up + 2

    def _stream_delay(self):
        """Largest lag of final output behind input, over a whole period."""
        worst = 0
        # Window k's end needs ``need`` input samples; until they come, the
        # output is final up to what window k - 1 finalized.
        for k in range(0, 2 * self.up + 4):
            need = self._input_needed(k * self.hop + self.n_window)
            final_model = k * self.hop  # after window k - 1, before window k
            final_in = max(0, ((final_model - self._reach_back) * self.down)
                           // self.up)
            worst = max(worst, need - 1 - final_in)
        return int(worst)

    # -- reading with the extension of resample_poly's padtype="line" ------
    def _read_input(self, i0, i1):
        if 0 <= i0 < self._x0:
            raise RuntimeError(f"Internal error: sample {i0} was dropped.")
        n_buf = self._x.shape[1]
        lo, hi = max(i0, self._x0), min(i1, self._x0 + n_buf)
        parts = []
        if i0 < lo:
            idx = np.arange(i0, lo)
            if self._starts is None:  # live: flat before the first sample
                parts.append(np.repeat(self._x[:, :1], len(idx), axis=1))
            else:
                parts.append(self._first[:, None] + idx * self._slope[:, None])
        if hi > lo:
            parts.append(self._x[:, lo - self._x0:hi - self._x0])
        if i1 > max(hi, lo):
            idx = np.arange(max(hi, lo), i1) - (self.n_times - 1)
            parts.append(self._last[:, None] + idx * self._slope[:, None])
        return np.concatenate(parts, axis=1)

    def _read_correction(self, m0, m1):
        n_buf = self._c.shape[1]
        lo, hi = max(m0, self._c0), min(m1, self._c0 + n_buf)
        parts = []
        if m0 < lo:
            idx = np.arange(m0, lo)
            if self._starts is None:
                parts.append(np.repeat(self._c[:, :1], len(idx), axis=1))
            else:  # only in finish(), when the head is back in self._c
                parts.append(self._c_first[:, None] + idx * self._c_slope[:, None])
        if hi > lo:
            parts.append(self._c[:, lo - self._c0:hi - self._c0])
        if m1 > max(hi, lo):
            idx = np.arange(max(hi, lo), m1) - (self.n_model - 1)
            parts.append(self._c_last[:, None] + idx * self._c_slope[:, None])
        return np.concatenate(parts, axis=1)

    # -- the work ---------------------------------------------------------
    def push(self, x):
        """Add samples; return the cleaned signals that became final.

        Parameters
        ----------
        x : array, shape (n_rows, n)
            The next samples of every signal (then of every reference).

        Returns
        -------
        start : int
            Index of the first returned sample.
        cleaned : array, shape (n_signals, n_final)
            Cleaned samples ``[start, start + n_final)``.
        """
        x = np.asarray(x, dtype=np.float64)
        self._x = np.concatenate([self._x, x], axis=1) if self._x.size else x.copy()
        self.n_in += x.shape[1]
        self._run_ready(final=False)
        return self._emit(final=False)

    def finish(self):
        """Clean what is left once the whole length was pushed (recordings).

        Returns
        -------
        pieces : list of (start, cleaned)
            The end of the signals, and their first samples.
        """
        if self.n_in != self.n_times:
            raise RuntimeError(f"finish() after {self.n_in} of {self.n_times} "
                               "samples; push them all first.")
        self._run_ready(final=True)
        tail = self._emit(final=True)
        # The first samples: their way back extends the correction before its
        # start along the line through its first and last samples.
        self._c, self._c0 = self._head_c, 0
        self._x, self._x0 = self._head_in, 0
        n_head = self._head_in.shape[1]
        if n_head == 0:
            return [tail]
        head = self._x[:self.n_signals] - self._back(0, n_head)
        return [tail, (0, head)]

    def _available(self, j1):
        if self._starts is not None and self.n_in == self.n_times:
            return True
        return self._input_needed(j1) <= self.n_in

    def _run_ready(self, final):
        while True:
            starts = []
            k = self._k
            while len(starts) < self.n_block:
                s = self._start(k)
                if s is None or not self._available(s + self.n_window):
                    break
                starts.append(s)
                k += 1
            if not starts:
                break
            self._run_block(starts)
            self._k = k
            nxt = self._start(k)
            self._finalize(self.n_model if nxt is None else nxt)

    def _run_block(self, starts):
        nw = self.n_window
        j0, j1 = starts[0], starts[-1] + nw
        x = _resample_range(self._read_input, self.up, self.down, j0, j1)
        rel = np.asarray(starts) - j0
        win = to_windows(x[:self.n_signals], rel, nw).reshape(-1, nw)
        z, mean, std = standardize(win)
        noise_z = None
        if self.n_rows > self.n_signals:
            noise_z = to_windows(x[self.n_signals:], rel, nw).reshape(-1, nw) / std
        den = self.run(z, noise_z) * std + mean
        corr = (win - den).reshape(self.n_signals, len(starts), nw)
        grow = j1 - self._a0 - self._acc.shape[1]
        if grow > 0:
            self._acc = np.concatenate(
                [self._acc, np.zeros((self.n_signals, grow))], axis=1)
            self._w = np.concatenate([self._w, np.zeros(grow)])
        # The same sums, in the same order, as overlap_add.
        for i, s in enumerate(starts):
            a = s - self._a0
            self._acc[:, a:a + nw] += corr[:, i] * self._taper
            self._w[a:a + nw] += self._taper

    def _finalize(self, f):
        n = f - self._a0
        if n <= 0:
            return
        done = self._acc[:, :n] / self._w[:n]
        self._acc, self._w = self._acc[:, n:], self._w[n:]
        self._a0 = f
        if self._starts is not None and f == self.n_model:
            self._c_last = done[:, -1]
        self._c = np.concatenate([self._c, done], axis=1) if self._c.size else done

    def _back(self, o0, o1):
        """The correction at the input rate, samples ``[o0, o1)``."""
        corr = _resample_range(self._read_correction, self.down, self.up, o0, o1)
        if self._starts is not None and o1 > self.n_back:
            # denoise_signals pads the way back with zeros to the input length.
            corr[:, max(0, self.n_back - o0):] = 0.0
        return corr

    def _emit(self, final):
        o0 = self.n_out
        if final:
            self._c_first = self._head_c[:, 0] if self._head_c is not None \
                else self._c[:, 0]
            self._c_slope = (self._c_last - self._c_first) / (self.n_model - 1)
            o1 = self.n_times
        else:
            f = self._a0 - self._reach_back
            o1 = max(o0, (f * self.down) // self.up)
            if self._starts is not None:
                o1 = min(o1, self.n_times)
        self._keep_heads()
        if o1 > o0:
            cleaned = self._read_input(o0, o1)[:self.n_signals] - self._back(o0, o1)
        else:
            cleaned = np.empty((self.n_signals, 0))
        self.n_out = o1
        self._trim()
        return o0, cleaned

    def _keep_heads(self):
        """Offline: keep what the deferred first samples need, once."""
        if self._starts is None or self._head_c is not None:
            return
        n_head = self.n_out
        need_c = _ceil_div(n_head * self.up, self.down) + self._reach_back + 1
        if self._c0 == 0 and self._c.shape[1] >= need_c and \
                self._x0 == 0 and self._x.shape[1] >= n_head:
            self._head_c = self._c[:, :need_c].copy()
            self._head_in = self._x[:self.n_signals, :n_head].copy()

    def _trim(self):
        """Drop the samples no later window or output reaches back to."""
        if self._starts is not None and self._head_c is None:
            return  # the head is not saved yet
        nxt = self._start(self._k)
        keep_in = self.n_out
        if nxt is not None and self.up != self.down:
            keep_in = min(keep_in, ((nxt * self.down) // self.up
                                    - 10 * max(self.up, self.down) // self.up - 2)
                          // self.down * self.down)
        elif nxt is not None:
            keep_in = min(keep_in, nxt)
        keep_in = max(keep_in, self._x0)
        self._x = self._x[:, keep_in - self._x0:]
        self._x0 = keep_in
        keep_c = ((self.n_out * self.up) // self.down - self._reach_back) \
            // max(self.up, 1) * self.up if self.up != self.down else self.n_out
        keep_c = max(self._c0, min(keep_c, self._a0))
        self._c = self._c[:, keep_c - self._c0:]
        self._c0 = keep_c


def denoise_blocked(read, n_rows, n_times, sfreq, *, model_sfreq, n_window,
                    overlap, run, write, n_references=0, n_block=None,
                    progress=None):
    """Clean a long recording block by block, writing as results become final.

    Parameters
    ----------
    read : callable
        ``read(start, stop)`` returns samples ``[start, stop)`` of every signal
        (then of every reference), shape ``(n_rows, stop - start)``.
    n_rows : int
        Signals plus references.
    n_times : int
        The recording's length in samples.
    sfreq, model_sfreq, n_window, overlap, run
        As for :func:`denoise_signals`.
    write : callable
        ``write(start, cleaned)`` receives cleaned signals ``(n_signals, n)``
        for samples ``[start, start + n)``; every sample is written once.
    n_references : int
        0 or the number of signals.
    n_block : int | None
        Windows per signal and block (default :func:`block_windows`).
    progress : callable | None
        Called with the number of input samples read after every block.
    """
    n_signals = n_rows - n_references
    edges = (read(0, 1)[:, 0], read(n_times - 1, n_times)[:, 0])
    stream = OverlapAddStream(
        n_signals, sfreq, model_sfreq=model_sfreq, n_window=n_window,
        overlap=overlap, run=run, n_references=n_references, n_times=n_times,
        edges=edges, n_block=n_block)
    # One block of windows' worth of input per push.
    step = max(1, (stream.n_block * stream.hop * stream.down) // stream.up)
    for start in range(0, n_times, step):
        stop = min(start + step, n_times)
        o0, cleaned = stream.push(read(start, stop))
        if cleaned.shape[1]:
            write(o0, cleaned)
        if progress is not None:
            progress(stop)
    for o0, cleaned in stream.finish():
        if cleaned.shape[1]:
            write(o0, cleaned)
