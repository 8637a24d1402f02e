# License: BSD-3-Clause
"""Banks of clean-EEG and artifact segments, and how to cut them.

A :class:`SegmentBank` is the unit that the semi-synthetic mixer draws from:
single-channel, demeaned, equally long segments in volts at one sampling
rate, each tagged with the recording (group) it came from so that train,
validation and test sets never share a recording.

The helpers here turn arrays (:func:`segment_signals`) or MNE objects
(:func:`clean_bank_from_mne`, :func:`artifact_bank_from_mne`) into banks with
one pipeline: optional zero-phase FIR band-pass at the input rate, polyphase
resampling to the model rate, fixed windows, per-window demeaning, and
removal of non-finite or flat windows.
"""

from dataclasses import dataclass
from pathlib import Path

import mne
import numpy as np
from sklearn.utils import check_random_state

from .._protocol import ARTIFACT_BANDS, MODEL_SFREQ, NYQUIST_MARGIN
from ..utils._checks import _check_fraction, _check_option, _check_positive
from ..utils._docs import fill_doc
from ..utils._windowing import pad_to, resample, resample_ratio, to_windows

__all__ = [
    "SegmentBank",
    "artifact_bank_from_mne",
    "clean_bank_from_mne",
    "segment_signals",
]

_KINDS = ("eeg", "eog", "emg")
#: Windows whose standard deviation is below this (in volts) are flat.
_FLAT_STD = 1e-15
#: Kept for :mod:`mne_denoise.denoisers._deep_base`, which imports it from here.
_ARTIFACT_BANDS = ARTIFACT_BANDS
# 1.4826 * MAD estimates the standard deviation of normal data.
_MAD_TO_STD = 1.4826


@dataclass(frozen=False, eq=False)
class SegmentBank:
    """Single-channel segments of one kind, in volts, grouped by recording.

    Parameters
    ----------
    data : array, shape (n_segments, n_times)
        The segments, in volts. Stored as C-ordered float64; every row should
        be demeaned (the builders in this module guarantee it).
    sfreq : float
        Sampling frequency of the segments in Hz.
    groups : array of int, shape (n_segments,)
        Recording id of each segment. :meth:`split` never separates a group,
        so segments of one recording (or one subject, where the builder
        knows it) end up in the same part.
    kind : ``"eeg"`` | ``"eog"`` | ``"emg"``
        What the segments contain: clean EEG, or an artifact source.
    sources : tuple of str
        Human-readable names of where the segments came from, e.g.
        ``("physionet_eegmmidb S001",)``.

    Attributes
    ----------
    n_times : int
        Number of samples per segment.

    See Also
    --------
    segment_signals, clean_bank_from_mne, artifact_bank_from_mne

    Examples
    --------
    >>> import numpy as np
    >>> bank = SegmentBank(np.zeros((4, 512)), 256.0, np.array([0, 0, 1, 2]), "eeg")
    >>> len(bank), bank.n_times
    (4, 512)
    """

    data: np.ndarray
    sfreq: float
    groups: np.ndarray
    kind: str
    sources: tuple = ()

    def __post_init__(self):
        data = np.ascontiguousarray(self.data, dtype=np.float64)
        if data.ndim != 2:
            raise ValueError(
                "data must be 2-D with shape (n_segments, n_times), got "
                f"{data.ndim}-D shape {data.shape}. Stack single-channel "
                "segments as rows."
            )
        if not np.isfinite(data).all():
            raise ValueError(
                "data must be finite, got NaN or inf values. Drop those "
                "segments first (segment_signals does it for you)."
            )
        groups = np.asarray(self.groups)
        if groups.ndim != 1 or len(groups) != len(data):
            raise ValueError(
                f"groups must be 1-D with one entry per segment ({len(data)}), "
                f"got shape {groups.shape}."
            )
        if groups.size and not np.issubdtype(groups.dtype, np.integer):
            if not np.array_equal(groups, np.round(groups)):
                raise ValueError(
                    f"groups must hold integer recording ids, got dtype "
                    f"{groups.dtype} with non-integer values."
                )
        self.data = data
        self.groups = groups.astype(np.int64)
        self.sfreq = _check_positive(self.sfreq, "sfreq")
        _check_option("kind", self.kind, _KINDS)
        if isinstance(self.sources, str):
            self.sources = (self.sources,)
        self.sources = tuple(str(s) for s in self.sources)

    @property
    def n_times(self):
        """Number of samples per segment."""
        return self.data.shape[1]

    def __len__(self):
        return self.data.shape[0]

    def __repr__(self):
        return (
            f"<SegmentBank | kind={self.kind!r}, {len(self)} segments x "
            f"{self.n_times} samples at {self.sfreq:g} Hz, "
            f"{len(np.unique(self.groups))} groups>"
        )

    def subset(self, idx):
        """Return a new bank with the segments at ``idx``.

        Parameters
        ----------
        idx : array of int | array of bool | slice
            Indices (or a boolean mask) of the segments to keep.

        Returns
        -------
        bank : SegmentBank
            A copy holding only those segments; groups and sources are kept.
        """
        if not isinstance(idx, slice):
            idx = np.asarray(idx)
            if idx.dtype == bool and idx.shape != (len(self),):
                raise ValueError(
                    f"A boolean idx must have shape ({len(self)},), got {idx.shape}."
                )
            idx = np.atleast_1d(idx)
        return SegmentBank(
            data=self.data[idx].copy(),
            sfreq=self.sfreq,
            groups=self.groups[idx].copy(),
            kind=self.kind,
            sources=self.sources,
        )

    def split(self, fractions=(0.8, 0.1, 0.1), random_state=None):
        """Split into disjoint parts by group (recording), seeded.

        Whole groups are assigned greedily, each to the part that is furthest
        below its target number of segments. Because the visiting order of
        the groups is random, the greedy pass is repeated for 32 seeded
        orders and the assignment closest to the targets (smallest summed
        absolute deviation of the segment fractions) is kept. Every part
        receives at least one group.

        Parameters
        ----------
        fractions : sequence of float
            Target fraction of segments in each part; positive, summing to 1.
        random_state : None | int | instance of RandomState
            Seed of the group orders; the same seed gives the same split.

        Returns
        -------
        parts : tuple of SegmentBank
            One bank per fraction, in the same order, with no group shared
            between two parts. Segments keep their original order.
        """
        fractions = np.asarray(fractions, dtype=float)
        if (
            fractions.ndim != 1
            or fractions.size < 1
            or np.any(fractions <= 0)
            or abs(fractions.sum() - 1.0) > 1e-6
        ):
            raise ValueError(
                "fractions must be positive and sum to 1, got "
                f"{fractions.tolist()}. Use e.g. (0.8, 0.1, 0.1)."
            )
        uniq, inverse, sizes = np.unique(
            self.groups, return_inverse=True, return_counts=True
        )
        n_parts = fractions.size
        if len(uniq) < n_parts:
            raise ValueError(
                f"Cannot split {len(uniq)} group(s) into {n_parts} non-empty "
                f"parts without separating a recording. Use fewer fractions or "
                f"add recordings (bank of {len(self)} segments, sources "
                f"{list(self.sources)})."
            )
        rng = check_random_state(random_state)
        targets = fractions * sizes.sum()
        best, best_cost = None, np.inf
        for _ in range(32):
            assign = _greedy_assign(rng.permutation(len(uniq)), sizes, targets)
            counts = np.bincount(assign, weights=sizes, minlength=n_parts)
            cost = np.abs(counts - targets).sum()
            if cost < best_cost:
                best, best_cost = assign, cost
        seg_part = best[inverse]
        return tuple(self.subset(np.flatnonzero(seg_part == p)) for p in range(n_parts))

    @classmethod
    def concatenate(cls, banks):
        """Stack banks of the same kind, rate and length.

        Parameters
        ----------
        banks : sequence of SegmentBank
            Banks to stack, in order.

        Returns
        -------
        bank : SegmentBank
            The stacked bank. Group ids are re-numbered (consecutively, bank
            after bank) so that groups of different banks stay distinct;
            sources are merged without duplicates.
        """
        banks = list(banks)
        if not banks:
            raise ValueError("banks must hold at least one SegmentBank, got none.")
        for b in banks:
            if not isinstance(b, SegmentBank):
                raise TypeError(
                    f"banks must hold SegmentBank instances, got {type(b).__name__}."
                )
        first = banks[0]
        for b in banks[1:]:
            if b.kind != first.kind:
                raise ValueError(
                    f"All banks must have the same kind, got {first.kind!r} "
                    f"and {b.kind!r}."
                )
            if b.sfreq != first.sfreq or b.n_times != first.n_times:
                raise ValueError(
                    "All banks must share sfreq and n_times, got "
                    f"{first.sfreq:g} Hz x {first.n_times} and {b.sfreq:g} Hz x "
                    f"{b.n_times}. Build them with the same sfreq and window_s."
                )
        groups, offset = [], 0
        for b in banks:
            uniq, inverse = np.unique(b.groups, return_inverse=True)
            groups.append(inverse.astype(np.int64) + offset)
            offset += len(uniq)
        sources = tuple(dict.fromkeys(s for b in banks for s in b.sources))
        return cls(
            data=np.concatenate([b.data for b in banks]),
            sfreq=first.sfreq,
            groups=np.concatenate(groups),
            kind=first.kind,
            sources=sources,
        )


def _greedy_assign(order, sizes, targets):
    """Assign groups (visited in ``order``) to the part with most room left."""
    n_parts = len(targets)
    assign = np.empty(len(sizes), dtype=np.int64)
    filled = np.zeros(n_parts)
    for g in order:
        p = int(np.argmax(targets - filled))
        assign[g] = p
        filled[p] += sizes[g]
    # Small parts can stay empty when big groups come first; move the
    # smallest group of a part that can spare one into each empty part.
    for p in range(n_parts):
        if np.any(assign == p):
            continue
        counts = np.bincount(assign, minlength=n_parts)
        donors = np.flatnonzero(counts[assign] >= 2)
        g = donors[np.argmin(sizes[donors])]
        assign[g] = p
    return assign


# ----------------------------------------------------------------------------
# Segmentation pipeline


def _resolve_band(l_freq, h_freq, sfreq_in):
    """Drop band edges that are off (<= 0) or too close to the input Nyquist."""
    if l_freq is not None and l_freq <= 0:
        l_freq = None
    if h_freq is not None and h_freq >= NYQUIST_MARGIN * sfreq_in / 2.0:
        h_freq = None
    if l_freq is not None and h_freq is not None and l_freq >= h_freq:
        raise ValueError(
            f"l_freq ({l_freq:g} Hz) must be below h_freq ({h_freq:g} Hz)."
        )
    return l_freq, h_freq


def _finite_runs(x):
    """Split (n_ch, n_times) into runs of columns where all channels are finite."""
    ok = np.isfinite(x).all(axis=0)
    if ok.all():
        return [x]
    edges = np.diff(np.concatenate([[0], ok.view(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [x[:, a:b] for a, b in zip(starts, stops, strict=True)]


def _as_recordings(signals, sfreq, groups):
    """Normalise ``signals`` to a list of (array 2-D, sfreq, group)."""
    if isinstance(signals, np.ndarray):
        # One array is one recording: (n_times,) or (n_channels, n_times).
        signals = [signals]
    signals = list(signals)
    n = len(signals)
    sfreqs = np.broadcast_to(np.asarray(sfreq, dtype=float), (n,)) if n else []
    if groups is None:
        groups = np.arange(n)
    groups = np.asarray(groups)
    if groups.shape != (n,):
        raise ValueError(
            f"groups must have one entry per recording ({n}), got shape {groups.shape}."
        )
    out = []
    for i, (x, fs) in enumerate(zip(signals, sfreqs, strict=True)):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x[np.newaxis]
        if x.ndim != 2:
            raise ValueError(
                f"Each recording must be 1-D (n_times,) or 2-D (n_channels, "
                f"n_times), got {x.ndim}-D shape {x.shape} for recording {i}."
            )
        out.append((x, _check_positive(fs, "sfreq"), int(groups[i])))
    return out


def _min_padded_samples(n_window):
    """Shortest part (samples at the model rate) that ``pad_short`` pads.

    Half a window: below that, more than half of the padded window would be
    mirrored signal rather than recorded signal.
    """
    return (n_window + 1) // 2


def _segment(recordings, *, window_s, sfreq_out, l_freq=None, h_freq=None,
             step_s=None, pad_short=False):
    """Run the pipeline; return windows and (recording, channel) of each row.

    ``recordings`` is a list of (array (n_ch, n_times), sfreq). Returns
    ``windows`` (n, n_win), ``rec`` (n,) and ``ch`` (n,). With ``pad_short``,
    parts of at least half a window (at ``sfreq_out``) but shorter than one
    are reflect-padded to one window after resampling, as inference pads
    them (:func:`~mne_denoise.utils._windowing.pad_to`); longer parts are
    cut exactly as without it.
    """
    window_s = _check_positive(window_s, "window_s")
    sfreq_out = _check_positive(sfreq_out, "sfreq_out")
    step_s = window_s if step_s is None else _check_positive(step_s, "step_s")
    n_win = int(round(window_s * sfreq_out))
    step = int(round(step_s * sfreq_out))
    if n_win < 2:
        raise ValueError(
            f"window_s * sfreq_out must give at least 2 samples, got {n_win}."
        )
    n_min = _min_padded_samples(n_win) if pad_short else n_win
    windows, rec_ids, ch_ids = [], [], []
    for r, (x, fs) in enumerate(recordings):
        up, down = resample_ratio(fs, sfreq_out)
        lo, hi = _resolve_band(l_freq, h_freq, fs)
        for run in _finite_runs(x):
            n_out = -(-run.shape[1] * up // down)  # ceil
            if n_out < n_min:
                continue  # too short for one window: skip before filtering
            # Removing the mean first keeps the filter's and the resampler's
            # edge handling from turning a DC offset into edge transients.
            run = run - run.mean(axis=1, keepdims=True)
            if lo is not None or hi is not None:
                run = mne.filter.filter_data(
                    run, fs, lo, hi, method="fir", phase="zero", verbose=False
                )
            run = resample(run, up, down)
            if pad_short:
                # A no-op on parts of one window or more.
                run = pad_to(run, n_win)
            # Whole windows every ``step`` only (unlike inference, no last
            # window flush with the end): a training segment is never cut
            # twice with a large overlap.
            n_full = (run.shape[1] - n_win) // step + 1
            if n_full < 1:
                continue
            w = to_windows(run, np.arange(n_full) * step, n_win)
            w = w - w.mean(axis=-1, keepdims=True)
            n_ch = w.shape[0]
            windows.append(w.reshape(-1, n_win))
            rec_ids.append(np.full(n_ch * n_full, r))
            ch_ids.append(np.repeat(np.arange(n_ch), n_full))
    if not windows:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, n_win)), empty, empty
    windows = np.concatenate(windows)
    rec_ids = np.concatenate(rec_ids)
    ch_ids = np.concatenate(ch_ids)
    with np.errstate(invalid="ignore"):
        keep = np.isfinite(windows).all(axis=1) & (windows.std(axis=1) > _FLAT_STD)
    return windows[keep], rec_ids[keep], ch_ids[keep]


@fill_doc
def segment_signals(
    signals,
    sfreq,
    *,
    kind,
    window_s=2.0,
    sfreq_out=MODEL_SFREQ,
    l_freq=None,
    h_freq=None,
    step_s=None,
    groups=None,
    sources=(),
    pad_short=False,
):
    """Cut recordings into a bank of demeaned single-channel segments.

    For each recording: stretches where a channel is not finite split it
    into parts; each part (if long enough for one window) has its channel
    means removed, is band-passed with :func:`mne.filter.filter_data`
    (zero-phase FIR, MNE's automatic transition bands) at the input rate,
    resampled to ``sfreq_out`` with :func:`scipy.signal.resample_poly`
    (rational factor, ``padtype="line"``), and cut into windows of
    ``window_s`` every ``step_s``. Each window is demeaned; non-finite and
    flat (standard deviation below 1e-15) windows are dropped.

    Parameters
    ----------
    signals : list of array, shape (n_times,) or (n_channels, n_times)
        The recordings, in volts. A single array counts as one recording.
    sfreq : float | sequence of float
        Sampling frequency of the recordings in Hz, one value or one per
        recording.
    kind : ``"eeg"`` | ``"eog"`` | ``"emg"``
        What the recordings contain.
    window_s : float
        Window length in seconds.
    sfreq_out : float
        Sampling frequency of the segments.
    l_freq, h_freq : float | None
        Band edges of the band-pass, in Hz (``None`` or ``l_freq <= 0``: no
        high-pass; ``None``: no low-pass). A low-pass at or above 90 %% of a
        recording's Nyquist frequency is skipped for that recording, since
        the recording holds nothing above its Nyquist frequency and the
        resampler band-limits to ``sfreq_out / 2``.
    step_s : float | None
        Step between window starts in seconds; ``None`` means ``window_s``
        (no overlap).
    groups : sequence of int | None
        Group (recording id) of each recording; all channels of a recording
        share it. ``None`` means the recording's index.
    sources : tuple of str
        Names stored in :attr:`SegmentBank.sources`.
    %(pad_short_sfreq_out)s

    Returns
    -------
    bank : SegmentBank
        Segments ordered by recording, then channel, then time.

    Notes
    -----
    A recording that is long enough for one window but shorter than the FIR
    filter (about ``3.3 / l_freq`` seconds for a high-pass) makes MNE warn
    that the filter is longer than the signal; filter such data yourself or
    pass ``l_freq=None``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((2, 2000)) * 1e-5
    >>> bank = segment_signals([x], 250.0, kind="eeg")
    >>> bank.data.shape, bank.sfreq  # 8 s: 4 windows x 2 channels
    ((8, 512), 256.0)
    """
    _check_option("kind", kind, _KINDS)
    recordings = _as_recordings(signals, sfreq, groups)
    windows, rec, _ = _segment(
        [(x, fs) for x, fs, _ in recordings], window_s=window_s,
        sfreq_out=sfreq_out, l_freq=l_freq, h_freq=h_freq, step_s=step_s,
        pad_short=pad_short,
    )  # fmt: skip
    rec_groups = np.array([g for _, _, g in recordings], dtype=np.int64)
    return SegmentBank(
        data=windows,
        sfreq=float(sfreq_out),
        groups=rec_groups[rec] if len(rec) else np.zeros(0, dtype=np.int64),
        kind=kind,
        sources=sources,
    )


# ----------------------------------------------------------------------------
# From MNE objects


def _is_frontal(name):
    name = name.replace(".", "").strip().upper()
    return name.startswith("FP") or name.startswith("AF")


def _inst_name(inst):
    names = [f for f in (getattr(inst, "filenames", None) or ()) if f is not None]
    if not names and getattr(inst, "filename", None) is not None:
        names = [inst.filename]
    if names:
        return ", ".join(Path(str(f)).name for f in names)
    return type(inst).__name__


def _split_points(raw):
    """Return (good mask, split sample indices) from BAD/EDGE annotations."""
    n = raw.n_times
    good = np.ones(n, dtype=bool)
    splits = []
    ann = raw.annotations
    if len(ann):
        onsets = raw.time_as_index(ann.onset, use_rounding=True, origin=ann.orig_time)
        ends = raw.time_as_index(
            ann.onset + ann.duration, use_rounding=True, origin=ann.orig_time
        )
        for desc, a, b in zip(ann.description, onsets, ends, strict=True):
            d = desc.lower()
            if not (d.startswith("bad") or d.startswith("edge")):
                continue
            a, b = int(np.clip(a, 0, n)), int(np.clip(b, 0, n))
            if b > a and d.startswith("bad"):
                good[a:b] = False
            splits.append(a)
    return good, sorted(set(splits))


def _inst_recordings(inst, picks, *, exclude_frontal):
    """Return ([(array (n_ch, n_times), sfreq)], ch_names) from Raw/Epochs.

    Raw data are cut at BAD spans and BAD/EDGE boundaries (e.g. where runs
    were concatenated); each epoch of an Epochs object is its own piece.
    """
    if not isinstance(inst, mne.io.BaseRaw | mne.BaseEpochs):
        raise TypeError(
            f"inst must be an instance of mne.io.Raw or mne.Epochs, got "
            f"{type(inst).__name__}."
        )
    # Picking needs loaded data; load a copy, never the caller's object.
    inst = inst.copy()
    if not inst.preload:
        with mne.utils.use_log_level("warning"):
            inst.load_data()
    inst.pick(picks)
    if exclude_frontal:
        keep = [ch for ch in inst.ch_names if not _is_frontal(ch)]
        if not keep:
            raise ValueError(
                f"No channel is left after dropping frontal (Fp*/AF*) channels "
                f"from {inst.ch_names}. Pass exclude_frontal=False."
            )
        inst.pick(keep)
    sfreq = float(inst.info["sfreq"])
    if isinstance(inst, mne.BaseEpochs):
        data = inst.get_data()
        return [(ep, sfreq) for ep in data], inst.ch_names
    data = inst.get_data()
    good, splits = _split_points(inst)
    data = np.where(good, data, np.nan)  # NaN spans are cut out downstream
    bounds = [0, *[s for s in splits if 0 < s < data.shape[1]], data.shape[1]]
    pieces = [
        (data[:, a:b], sfreq)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        if b > a
    ]
    return pieces, inst.ch_names


def _robust_z(x, labels):
    """Robust z-score of ``x`` within each label (median / 1.4826 MAD)."""
    z = np.zeros_like(x)
    for lab in np.unique(labels):
        m = labels == lab
        med = np.median(x[m])
        mad = _MAD_TO_STD * np.median(np.abs(x[m] - med))
        dev = x[m] - med
        z[m] = dev / mad if mad > 0 else np.where(dev > 0, np.inf, 0.0)
    return z


def _contamination_score(windows, labels):
    """Score of each window: max of robust z of log std and log peak-to-peak."""
    log_std = np.log(windows.std(axis=1))
    log_ptp = np.log(np.ptp(windows, axis=1))
    return np.maximum(_robust_z(log_std, labels), _robust_z(log_ptp, labels))


def _reject_most_contaminated(windows, labels, reject_fraction):
    """Return the sorted indices of the windows kept (the worst are dropped)."""
    n_drop = int(round(reject_fraction * len(windows)))
    if n_drop == 0:
        return np.arange(len(windows))
    score = _contamination_score(windows, labels)
    # Stable sort so that ties keep their order: deterministic output.
    order = np.argsort(-score, kind="stable")
    return np.sort(order[n_drop:])


@fill_doc
def clean_bank_from_mne(
    inst,
    *,
    picks="eeg",
    window_s=2.0,
    sfreq=MODEL_SFREQ,
    l_freq=1.0,
    h_freq=None,
    reject_fraction=0.2,
    exclude_frontal=True,
    pad_short=False,
):
    """Cut clean EEG segments out of a Raw or Epochs object.

    The channels in ``picks`` (minus frontal ones, see below) go through the
    pipeline of :func:`segment_signals`. Then the ``reject_fraction`` most
    contaminated segments are dropped. The contamination score of a segment
    (one channel, one window) is the larger of two robust z-scores computed
    among all windows of the same channel: that of ``log(std)`` and that of
    ``log(peak-to-peak)``, with ``z = (x - median) / (1.4826 * MAD)``. High
    amplitude (blinks, muscle bursts, electrode pops) and large excursions
    both raise it; only the high tail is dropped.

    Parameters
    ----------
    inst : instance of mne.io.Raw | mne.Epochs
        The recording. Raw data are cut at ``BAD`` annotations and at
        ``BAD``/``EDGE`` boundaries (where runs were concatenated); each
        epoch of an Epochs object is treated as its own piece, so windows
        never straddle two epochs.
    picks : str | list
        Channels to use (anything :meth:`mne.io.Raw.pick` accepts; bad
        channels are excluded for string picks).
    window_s : float
        Segment length in seconds.
    sfreq : float
        Sampling frequency of the segments in Hz.
    l_freq, h_freq : float | None
        Band-pass edges at the input rate, see :func:`segment_signals`.
        The default 1-Hz high-pass removes drifts. For Epochs the filter runs
        per epoch, so pass ``l_freq=None`` when the epochs are shorter than
        the filter (about ``3.3 / l_freq`` s) or already filtered.
    reject_fraction : float
        Fraction of segments (in ``[0, 1)``) to drop as contaminated.
    exclude_frontal : bool
        Drop channels whose name starts with ``Fp`` or ``AF``
        (case-insensitive, dots ignored), because blinks and eye movements
        are largest there.
    %(pad_short_sfreq)s

    Returns
    -------
    bank : SegmentBank
        Kind ``"eeg"``, one group (0) for the whole object; concatenate
        banks with :meth:`SegmentBank.concatenate` to combine recordings.
    """
    reject_fraction = _check_fraction(reject_fraction, "reject_fraction")
    sfreq = _check_positive(sfreq, "sfreq")
    return _bank_from_inst(
        inst, picks, "eeg", exclude_frontal=exclude_frontal,
        reject_fraction=reject_fraction, window_s=window_s, sfreq=sfreq,
        l_freq=l_freq, h_freq=h_freq, pad_short=pad_short,
    )  # fmt: skip


@fill_doc
def artifact_bank_from_mne(
    inst,
    *,
    kind,
    picks=None,
    window_s=2.0,
    sfreq=MODEL_SFREQ,
    l_freq=None,
    h_freq=None,
    pad_short=False,
):
    """Cut artifact-source segments (EOG or EMG channels) out of Raw/Epochs.

    Parameters
    ----------
    inst : instance of mne.io.Raw | mne.Epochs
        The recording, cut as in :func:`clean_bank_from_mne`.
    kind : ``"eog"`` | ``"emg"``
        The artifact the channels record.
    picks : str | list | None
        Channels to use; ``None`` means all channels of type ``kind``.
    window_s : float
        Segment length in seconds.
    sfreq : float
        Sampling frequency of the segments in Hz.
    l_freq, h_freq : float | None
        Band-pass edges in Hz; ``None`` takes the default of ``kind``:

        - EOG: 0.3-10 Hz. Ocular potentials (blinks, saccades, slow drifts)
          hold almost all their power below 10 Hz, whereas what an EOG
          electrode records above 10 Hz is mostly brain EEG and muscle
          activity, which must not be labelled as the ocular artifact.
          The price: saccade onsets are slightly rounded. (EEGdenoiseNet's
          own EOG preprocessing kept 0.3-80 Hz.)
        - EMG: 20-120 Hz (EEGdenoiseNet used 1-120 Hz; below 20 Hz a
          surface EMG electrode records mostly movement and baseline
          wander, see :data:`mne_denoise._protocol.ARTIFACT_BANDS`).

        Pass ``l_freq=0`` to switch the high-pass off. A low-pass at or
        above 90 %% of the input Nyquist frequency is skipped, see
        :func:`segment_signals`.
    %(pad_short_sfreq)s

    Returns
    -------
    bank : SegmentBank
        Kind ``kind``, one group (0) for the whole object.
    """
    _check_option("kind", kind, ("eog", "emg"))
    sfreq = _check_positive(sfreq, "sfreq")
    picks = kind if picks is None else picks
    if isinstance(inst, mne.io.BaseRaw | mne.BaseEpochs) and picks == kind:
        if kind not in inst.get_channel_types(unique=True):
            raise ValueError(
                f"inst has no channel of type {kind!r} (types: "
                f"{inst.get_channel_types(unique=True)}). Set the type with "
                f"inst.set_channel_types({{name: {kind!r}}}) or pass picks."
            )
    default_l, default_h = ARTIFACT_BANDS[kind]
    l_freq = default_l if l_freq is None else l_freq
    h_freq = default_h if h_freq is None else h_freq
    return _bank_from_inst(
        inst, picks, kind, exclude_frontal=False, reject_fraction=0.0,
        window_s=window_s, sfreq=sfreq, l_freq=l_freq, h_freq=h_freq,
        pad_short=pad_short,
    )  # fmt: skip


def _bank_from_inst(inst, picks, kind, *, exclude_frontal, reject_fraction,
                    window_s, sfreq, l_freq, h_freq, pad_short=False):
    """Segment an MNE object into a bank with one group (0) named after it.

    The common body of :func:`clean_bank_from_mne` (which rejects the most
    contaminated windows) and :func:`artifact_bank_from_mne` (which keeps all).
    """
    windows, _ = _windows_from_inst(
        inst, picks, exclude_frontal=exclude_frontal,
        reject_fraction=reject_fraction, window_s=window_s, sfreq=sfreq,
        l_freq=l_freq, h_freq=h_freq, pad_short=pad_short)
    return SegmentBank(
        data=windows,
        sfreq=float(sfreq),
        groups=np.zeros(len(windows), dtype=np.int64),
        kind=kind,
        sources=(_inst_name(inst),),
    )


def _windows_from_inst(inst, picks, *, exclude_frontal, reject_fraction,
                       window_s, sfreq, l_freq, h_freq, pad_short=False):
    """The windows that :func:`_bank_from_inst` keeps and each one's channel.

    Returns ``(windows (n, n_win), ch_names (n,))``, the second an array of
    the channel name of each window (what a bank does not keep; the
    per-site study reads it).
    """
    pieces, names = _inst_recordings(inst, picks, exclude_frontal=exclude_frontal)
    windows, _, ch = _segment(
        pieces, window_s=window_s, sfreq_out=sfreq, l_freq=l_freq, h_freq=h_freq,
        pad_short=pad_short,
    )
    keep = _reject_most_contaminated(windows, ch, reject_fraction)
    return windows[keep], np.asarray(names, dtype=object)[ch[keep]]
