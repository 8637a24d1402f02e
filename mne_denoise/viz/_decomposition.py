# License: BSD-3-Clause
"""How a low-rank + sparse decomposition evolves over stages or iterations."""

import numpy as np

__all__ = ["plot_decomposition_stages"]


def _as_array(part):
    """Data of a part as ``(n_epochs, n_channels, n_times)`` and whether in volts."""
    if hasattr(part, "get_data"):
        data = np.asarray(part.get_data())
        return (data if data.ndim == 3 else data[np.newaxis]), True
    data = np.asarray(part)
    return (data[:, np.newaxis] if data.ndim == 2 else data), False


def _stage_picks(n_stages, stages):
    if stages is None:
        # At most six rows: evenly spaced, always the first and the last.
        return sorted(set(np.linspace(0, n_stages - 1, min(n_stages, 6))
                          .round().astype(int).tolist()))
    picks = []
    for s in np.atleast_1d(stages):
        s = int(s)
        if not -n_stages <= s < n_stages:
            raise ValueError(
                f"stages must index the {n_stages} stages (0 to {n_stages - 1}, "
                f"or negative from the end), got {s}.")
        picks.append(s % n_stages)
    return picks


def plot_decomposition_stages(denoiser, inst, *, epoch=0, channel=None,
                              stages=None, show=True):
    """Plot the low-rank and sparse parts of one channel, stage by stage.

    Parameters
    ----------
    denoiser : LowRankDenoiser | LowRankUnfoldedDenoiser
        A fitted low-rank denoiser.
    inst : Epochs | Raw | Evoked | array
        Data to decompose (as for ``denoiser.transform``); keep it short,
        every stage is computed and stored.
    epoch : int
        Epoch (or 2-D array row) to show.
    channel : str | int | None
        EEG channel to show, by name or index; default the first cleaned
        channel.
    stages : int | list of int | None
        Stages (unrolled stages of LowRankUnfoldedDenoiser, solver iterations
        of LowRankDenoiser) to show, counting from 0; default up to six,
        evenly spaced, from the first to the last.
    show : bool
        Show the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        One row per stage; the left column holds the low-rank part, the
        right one the sparse part, each over the input (grey). The column
        of the part kept as the cleaned EEG says so in its title.

    Examples
    --------
    >>> import numpy as np
    >>> from mne_denoise import LowRankDenoiser
    >>> X = np.random.default_rng(0).normal(size=(1, 2, 512))
    >>> den = LowRankDenoiser(sfreq=256.0, n_iter=5).fit(X)
    >>> fig = plot_decomposition_stages(den, X, show=False)
    """
    import matplotlib.pyplot as plt

    if not hasattr(denoiser, "decompose"):
        raise TypeError(
            "denoiser must be a LowRankDenoiser or a LowRankUnfoldedDenoiser "
            f"(it needs a decompose method), got {type(denoiser).__name__}.")
    _, _, parts = denoiser.decompose(inst, return_stages=True)
    low, in_volts = _as_array(parts[-1][0])
    # The two parts add up to the input, whatever its type.
    x = low + _as_array(parts[-1][1])[0]
    n_ep, n_ch, n_times = x.shape
    if not -n_ep <= epoch < n_ep:
        raise ValueError(f"epoch must be in [0, {n_ep}), got {epoch}.")
    names = list(denoiser.ch_names_) if n_ch == len(denoiser.ch_names_) else \
        [f"channel {i}" for i in range(n_ch)]
    if channel is None:
        ch = int(denoiser.clean_idx_[0]) if n_ch == len(denoiser.ch_names_) else 0
    elif isinstance(channel, str):
        if channel not in names:
            raise ValueError(
                f"channel {channel!r} is not among the channels "
                f"{names[:6]}...; pass a name or an index.")
        ch = names.index(channel)
    else:
        ch = int(channel)
        if not -n_ch <= ch < n_ch:
            raise ValueError(f"channel must be in [0, {n_ch}), got {channel}.")
    picks = _stage_picks(len(parts), stages)

    sfreq = float(denoiser.sfreq_)
    times = np.arange(n_times) / sfreq
    scale, unit = (1e6, "µV") if in_volts else (1.0, "a.u.")
    clean = denoiser._clean_part_name()
    label = getattr(denoiser, "_stage_label", "stage")
    titles = {"low_rank": "low-rank part", "sparse": "sparse part"}
    for part in titles:
        titles[part] += " (cleaned EEG)" if part == clean else " (removed)"

    fig, axes = plt.subplots(len(picks), 2, sharex=True, sharey=True,
                             squeeze=False, figsize=(10, 1.6 * len(picks) + 1))
    signal = x[epoch, ch] * scale
    for row, k in enumerate(picks):
        for col, (part, color) in enumerate(
                (("low_rank", "C0"), ("sparse", "C3"))):
            values = _as_array(parts[k][col])[0][epoch, ch] * scale
            ax = axes[row, col]
            ax.plot(times, signal, color="0.75", lw=0.8, label="input")
            ax.plot(times, values, color=color, lw=0.9, label=titles[part])
            if row == 0:
                ax.set_title(titles[part], fontsize=10)
            if col == 0:
                ax.set_ylabel(f"{label} {k + 1}\n({unit})", fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("time (s)")
    fig.suptitle(f"{type(denoiser).__name__}: {names[ch]}, epoch {epoch}, "
                 f"{len(parts)} {label}s", fontsize=11)
    fig.tight_layout()
    if show:
        plt.show()
    return fig
