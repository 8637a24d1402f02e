# License: BSD-3-Clause
"""Live cleaning of a Lab Streaming Layer stream with MNE-LSL."""

import time

import mne
import numpy as np

from ..utils._checks import _check_positive
from ..utils._memory import reuse_freed_memory
from ._online import OnlineDenoiser


def _import_mne_lsl():
    try:
        from mne_lsl.lsl import StreamInfo, StreamOutlet
        from mne_lsl.stream import StreamLSL
    except ImportError as err:  # the package, or its liblsl
        raise ImportError(
            "Live cleaning needs MNE-LSL and its liblsl: pip install mne-lsl "
            f"(or pip install 'mne-denoise[lsl]'); the import failed with: {err}"
        ) from err
    return StreamLSL, StreamInfo, StreamOutlet


@mne.utils.verbose
def clean_lsl_stream(denoiser, name, *, out_name=None, duration=None,
                     calibration=20.0, timeout=5.0, bufsize=10.0, poll=1 / 32,
                     reuse_memory=True, verbose=None):
    """Clean an LSL stream online and push the cleaned stream to a new outlet.

    Reads the stream ``name`` with :class:`mne_lsl.stream.StreamLSL`, cleans
    what arrives with an :class:`OnlineDenoiser` and pushes the cleaned
    samples to a new :class:`mne_lsl.lsl.StreamOutlet` (type ``"EEG"``, the
    fitted channels, float64), each with the timestamp of the input sample
    it cleans, so that consumers align both streams by time. Returns when
    ``duration`` seconds have been pushed, when no sample came for
    ``timeout`` seconds (the input stopped), or on Ctrl-C.

    Parameters
    ----------
    denoiser : BaseDenoiser
        A denoiser of the package. Fitted, it must have been fitted on the
        stream's channels; not fitted, it is fitted on the first
        ``calibration`` seconds of the stream (with pretrained weights:
        ``max_epochs=0`` calibrates only the gate), which are then not
        cleaned.
    name : str
        Name of the LSL stream to clean.
    out_name : str | None
        Name of the new outlet; by default ``name + "-clean"``.
    duration : float | None
        Seconds of cleaned stream to push before returning; None: until the
        input stops.
    calibration : float
        Seconds of stream to fit an unfitted ``denoiser`` on.
    timeout : float
        Seconds without a new sample after which the input counts as
        stopped (and to wait for the stream at the start).
    bufsize : float
        Seconds of the input buffer of :class:`~mne_lsl.stream.StreamLSL`;
        longer than any pause between two reads.
    poll : float
        Seconds between two reads when no sample is waiting (1/32 s).
    reuse_memory : bool
        Call :func:`mne_denoise.utils.reuse_freed_memory` first, so that the
        deep denoisers' hops do not page-fault (on the benchmark's machine
        this takes a third off the time to clean one 64-channel window). It
        changes ``malloc`` for the whole process; False leaves it alone.
    verbose : bool | str | int | None
        Log the latency and how much was cleaned (MNE's ``verbose``).

    Returns
    -------
    online : OnlineDenoiser
        Its ``n_pushed``, ``n_returned`` and ``latency`` say what was done.
    """
    StreamLSL, StreamInfo, StreamOutlet = _import_mne_lsl()
    _check_positive(timeout, "timeout")
    _check_positive(bufsize, "bufsize")
    _check_positive(poll, "poll")
    if duration is not None:
        _check_positive(duration, "duration")
    if reuse_memory:  # after the checks: a refused call changes nothing
        reuse_freed_memory()
    try:
        stream = StreamLSL(bufsize, name=name).connect(timeout=timeout)
    except RuntimeError as err:  # MNE-LSL's "do not uniquely identify"
        raise ConnectionError(
            f"No single LSL stream named {name!r} was found within {timeout:g} "
            f"s ({err}). Check the name (mne_lsl.lsl.resolve_streams() lists "
            "the streams) or wait longer (timeout=).") from err
    try:
        sfreq = float(stream.info["sfreq"])
        if not hasattr(denoiser, "info_"):
            _check_positive(calibration, "calibration")
            denoiser = _calibrate(denoiser, stream, calibration, timeout, poll)
        missing = [c for c in denoiser.ch_names_ if c not in stream.ch_names]
        if missing:
            raise ValueError(
                f"The stream {name!r} lacks the fitted channels {missing[:5]}; "
                f"it has {stream.ch_names[:5]}... Fit the denoiser on this "
                "stream's channels.")
        online = OnlineDenoiser(denoiser, sfreq=sfreq)
        picks = list(denoiser.ch_names_)
        sinfo = StreamInfo(out_name or f"{name}-clean", "EEG", len(picks), sfreq,
                           "float64", f"mne-denoise-{name}")
        sinfo.set_channel_names(picks)
        sinfo.set_channel_types(denoiser.info_.get_channel_types())
        sinfo.set_channel_units("V")
        outlet = StreamOutlet(sinfo)
        mne.utils.logger.info(
            f"Cleaning {name!r} into {sinfo.name!r} with "
            f"{type(denoiser).__name__}, latency {online.latency:.3f} s")
        _loop(stream, online, outlet, picks, sfreq, duration, timeout, poll)
    finally:
        stream.disconnect()
    mne.utils.logger.info(f"Cleaned {online.n_returned} samples "
                          f"({online.n_returned / sfreq:.1f} s)")
    return online


def _read_new(stream, last, picks=None):
    """The samples that arrived since the sample stamped ``last``, in order.

    ``n_new_samples`` then ``get_data(winsize=n)`` would lose samples: the
    stream's acquisition thread can add a chunk between the two calls, and
    the window then holds the newest ``n``, skipping older unread ones. The
    whole buffer is read instead (under the stream's lock) and the samples
    later than ``last`` kept; ``last=None`` (the first read) keeps the
    ``n_new_samples`` newest. Returns ``data, stamps`` or None when nothing
    is new.
    """
    n = stream.n_new_samples
    if not n:
        return None
    data, stamps = stream.get_data(picks=picks)
    start = (stamps.size - n if last is None
             else np.searchsorted(stamps, last, side="right"))
    if start >= stamps.size:
        return None
    return data[:, start:], stamps[start:]


def _loop(stream, online, outlet, picks, sfreq, duration, timeout, poll):
    stamps = np.empty(0)
    last_read, last = None, time.monotonic()
    limit = None if duration is None else int(round(duration * sfreq))
    try:
        while limit is None or online.n_returned < limit:
            new = _read_new(stream, last_read, picks)
            if new is None:
                if time.monotonic() - last > timeout:
                    break
                time.sleep(poll)
                continue
            last = time.monotonic()
            data, ts = new
            last_read = ts[-1]
            stamps = np.concatenate([stamps, ts])
            cleaned = online.push(data)
            if limit is not None:
                cleaned = cleaned[:, :limit - (online.n_returned - cleaned.shape[1])]
            if cleaned.shape[1]:
                k = cleaned.shape[1]
                if k == 1:  # liblsl warns about one-sample chunks
                    outlet.push_sample(cleaned[:, 0], timestamp=stamps[0])
                else:
                    outlet.push_chunk(np.ascontiguousarray(cleaned.T),
                                      timestamp=stamps[:k])
                stamps = stamps[k:]
    except KeyboardInterrupt:
        mne.utils.logger.info("Stopped (Ctrl-C).")


def _calibrate(denoiser, stream, seconds, timeout, poll):
    """Fit ``denoiser`` on the next ``seconds`` of the stream."""
    sfreq = float(stream.info["sfreq"])
    need = int(round(seconds * sfreq))
    got, last_read, last = [], None, time.monotonic()
    while sum(g.shape[1] for g in got) < need:
        new = _read_new(stream, last_read)
        if new is not None:
            got.append(new[0])
            last_read = new[1][-1]
            last = time.monotonic()
        elif time.monotonic() - last > timeout:
            raise RuntimeError(
                f"The stream stopped after {sum(g.shape[1] for g in got)} of the "
                f"{need} samples of calibration; lower calibration= or fit the "
                "denoiser beforehand.")
        else:
            time.sleep(poll)
    info = stream.info.copy()
    with info._unlock():
        info["bads"] = []
    raw = mne.io.RawArray(np.concatenate(got, axis=1)[:, :need], info,
                          verbose=False)
    return denoiser.fit(raw)
