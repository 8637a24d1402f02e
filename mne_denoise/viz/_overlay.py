# License: BSD-3-Clause
"""Before/after traces of a denoiser's input and output."""

import numpy as np

__all__ = ["plot_overlay"]

#: Colours of the "after" traces (the "before" trace is grey).
_COLORS = ("C0", "C3", "C2", "C4", "C1", "C5")


def _as_data(inst, sfreq, name):
    """``(data, sfreq, ch_names, ch_types, in_volts)`` of an MNE object or array.

    ``data`` is ``(n_epochs, n_channels, n_times)``: Raw and Evoked become
    one epoch, a 2-D array ``(n_segments, n_times)`` is single-channel
    segments (as the denoisers read it).
    """
    import mne

    if isinstance(inst, mne.io.BaseRaw | mne.BaseEpochs | mne.Evoked):
        data = inst.get_data() if not isinstance(inst, mne.Evoked) else inst.data
        data = np.asarray(data, dtype=float)
        if data.ndim == 2:
            data = data[np.newaxis]
        return (data, float(inst.info["sfreq"]), list(inst.ch_names),
                list(inst.get_channel_types()), True)
    if isinstance(inst, str | bytes | dict) or not hasattr(inst, "__len__"):
        raise TypeError(
            f"{name} must be an mne.io.Raw, mne.Epochs, mne.Evoked or an array, "
            f"got {type(inst).__name__}.")
    data = np.asarray(inst, dtype=float)
    if data.ndim == 2:
        data = data[:, np.newaxis]
    if data.ndim != 3:
        raise ValueError(
            f"{name} must be 2-D (n_segments, n_times) or 3-D (n_epochs, "
            f"n_channels, n_times), got shape {data.shape}.")
    if sfreq is None:
        raise ValueError(
            f"{name} is an array: pass sfreq=<Hz> (or pass MNE objects, which "
            "carry their sampling rate).")
    names = [f"channel {i}" for i in range(data.shape[1])]
    return data, float(sfreq), names, ["eeg"] * data.shape[1], False


def _as_afters(inst_after):
    """``{label: inst}`` from one instance or a dict of them."""
    if isinstance(inst_after, dict):
        if not inst_after:
            raise ValueError("inst_after is an empty dict; give at least one entry.")
        return {str(k): v for k, v in inst_after.items()}
    return {"after": inst_after}


def _check_same_shape(before, afters):
    for label, data in afters.items():
        if data.shape != before.shape:
            raise ValueError(
                f"inst_after[{label!r}] has shape {data.shape} but inst_before has "
                f"{before.shape}; pass the denoiser's input and its output.")


def _before_afters(inst_before, inst_after, sfreq):
    """Validated data of the input and of each output, same shapes.

    Returns ``(before, afters, rate, names, types, in_volts)``; ``afters`` is
    ``{label: data}``.
    """
    before, rate, names, types, in_volts = _as_data(inst_before, sfreq,
                                                    "inst_before")
    afters = {k: _as_data(v, sfreq, f"inst_after[{k!r}]")[0]
              for k, v in _as_afters(inst_after).items()}
    _check_same_shape(before, afters)
    return before, afters, rate, names, types, in_volts


def _pick(picks, ch_names, ch_types, default):
    """Channel indices from names, indices, a channel type or ``default``."""
    if picks is None:
        return default
    if isinstance(picks, str):
        if picks in ch_names:
            return [ch_names.index(picks)]
        idx = [i for i, t in enumerate(ch_types) if t == picks]
        if not idx:
            raise ValueError(
                f"picks={picks!r} is neither a channel name nor a channel type "
                f"present (types: {sorted(set(ch_types))}).")
        return idx
    out = []
    for p in np.atleast_1d(picks):
        if isinstance(p, str | np.str_):
            if p not in ch_names:
                raise ValueError(
                    f"Channel {p!r} in picks is not among the channels "
                    f"({ch_names[:6]}...).")
            out.append(ch_names.index(p))
        else:
            p = int(p)
            if not -len(ch_names) <= p < len(ch_names):
                raise ValueError(
                    f"Channel index {p} in picks is out of range for "
                    f"{len(ch_names)} channels.")
            out.append(p % len(ch_names))
    if not out:
        raise ValueError("picks selects no channel.")
    return out


def plot_overlay(inst_before, inst_after, *, picks=None, epoch=None, tmin=None,
                 tmax=None, n_channels=4, show_removed=True, sfreq=None,
                 title=None, show=True):
    """Plot channels before and after denoising, one row per channel.

    Parameters
    ----------
    inst_before : Raw | Epochs | Evoked | array
        The denoiser's input.
    inst_after : Raw | Epochs | Evoked | array | dict
        Its output (same type and shape), or ``{label: output}`` to compare
        several denoisers on the same input.
    picks : str | list of str | list of int | None
        Channels to show: names, indices or a channel type (``'eeg'``).
        By default the ``n_channels`` EEG channels that the (first)
        denoiser changed most in the shown epoch.
    epoch : int | None
        Epoch to show (Epochs and 3-D arrays); by default the one with the
        largest change.
    tmin, tmax : float | None
        Time span to show, in seconds from the start of the epoch (or of the
        recording). By default the whole epoch, or for data longer than 20 s
        the 10 s around the largest change.
    n_channels : int
        Channels shown when ``picks`` is None.
    show_removed : bool
        Also draw what was removed (before minus after, thin line).
    sfreq : float | None
        Sampling rate of array inputs (MNE objects carry theirs).
    title : str | None
        Figure title.
    show : bool
        Show the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure (MNE inputs in µV, arrays in their own units).

    See Also
    --------
    plot_psd_comparison : the same comparison in the frequency domain.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(3, 2, 256))
    >>> fig = plot_overlay(x, 0.5 * x, sfreq=128.0, show=False)
    """
    import matplotlib.pyplot as plt

    before, afters, rate, names, types, in_volts = _before_afters(
        inst_before, inst_after, sfreq)
    first = next(iter(afters.values()))
    change = np.abs(before - first)  # (n_epochs, n_channels, n_times)

    n_ep, n_ch, n_times = before.shape
    if epoch is None:
        epoch = int(np.argmax(change.max(axis=(1, 2))))
    elif not -n_ep <= int(epoch) < n_ep:
        raise ValueError(f"epoch must be in [0, {n_ep}), got {epoch}.")
    epoch = int(epoch) % n_ep
    eeg = [i for i, t in enumerate(types) if t == "eeg"] or list(range(n_ch))
    by_change = sorted(eeg, key=lambda i: -change[epoch, i].max())
    ch = _pick(picks, names, types, sorted(by_change[:max(1, int(n_channels))]))

    times = np.arange(n_times) / rate
    if tmin is None and tmax is None and n_times / rate > 20.0:
        peak = times[int(np.argmax(change[epoch][ch].max(axis=0)))]
        tmin = max(0.0, min(peak - 5.0, times[-1] - 10.0))
        tmax = tmin + 10.0
    mask = (times >= (tmin if tmin is not None else -np.inf)) & (
        times <= (tmax if tmax is not None else np.inf))
    if not mask.any():
        raise ValueError(
            f"tmin={tmin}, tmax={tmax} select no sample of data that span "
            f"0 to {times[-1]:.2f} s.")
    scale, unit = (1e6, "µV") if in_volts else (1.0, "a.u.")

    fig, axes = plt.subplots(len(ch), 1, sharex=True, squeeze=False,
                             figsize=(10, 1.5 * len(ch) + 1.2),
                             layout="constrained")
    for ax, c in zip(axes[:, 0], ch, strict=True):
        ax.plot(times[mask], before[epoch, c, mask] * scale, color="0.6",
                lw=1.0, label="before")
        for k, (label, after) in enumerate(afters.items()):
            color = _COLORS[k % len(_COLORS)]
            ax.plot(times[mask], after[epoch, c, mask] * scale, color=color,
                    lw=1.0, label=label)
            if show_removed:
                ax.plot(times[mask], (before - after)[epoch, c, mask] * scale,
                        color=color, lw=0.9, alpha=0.8, ls=":",
                        label=f"removed ({label})" if len(afters) > 1 else "removed")
        ax.set_ylabel(f"{names[c]}\n({unit})", fontsize=9)
        ax.margins(x=0)
    axes[0, 0].legend(loc="upper right", fontsize=8,
                      ncols=min(4, 1 + len(afters) * (1 + show_removed)))
    axes[-1, 0].set_xlabel("time (s)")
    if title is None:
        title = f"Before and after denoising (epoch {epoch})" if n_ep > 1 else \
            "Before and after denoising"
    fig.suptitle(title, fontsize=11)
    if show:
        plt.show()
    return fig
