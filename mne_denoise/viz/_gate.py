# License: BSD-3-Clause
"""Where on the scalp the artifact gate corrected."""

import numpy as np

from ..utils._checks import _check_option

__all__ = ["plot_gate_topomap"]


def plot_gate_topomap(denoiser, inst, *, stat="gate", axes=None, cmap="Reds",
                      title=None, show=True):
    """Plot, per EEG channel, how much the gate corrected, as a topomap.

    The gate of a deep denoiser decides per 2-s window and channel whether
    to correct (:meth:`~mne_denoise.FreqDomainDenoiser.artifact_scores`).
    Averaged over the epochs and windows of ``inst``, its decisions show
    where the corrections fall: on raw EEG mostly at frontal sites (eye
    movements) and over the temporal muscles, rarely at parietal and
    occipital sites. A gate open everywhere is altering clean EEG, or the
    data are contaminated throughout.

    Parameters
    ----------
    denoiser : fitted deep denoiser
        Any denoiser with ``artifact_scores`` (the per-channel deep
        denoisers and :class:`~mne_denoise.SpatialDenoiser`).
    inst : Epochs | Raw | Evoked
        Data with the channels seen at ``fit`` and a montage (the positions
        of the cleaned channels are read from ``inst.info``).
    stat : ``'gate'`` | ``'probability'`` | ``'open'``
        What each channel shows: ``'gate'``, the mean share of the
        network's correction let through; ``'probability'``, the detector's
        mean artifact probability; ``'open'``, the share of windows whose
        gate is more than half open.
    axes : matplotlib.axes.Axes | None
        Where to draw (with a colorbar beside it); None: a new figure.
    cmap : str
        Colormap; the colour scale runs from 0 to 1.
    title : str | None
        Axes title (default: what ``stat`` shows and the number of
        windows averaged).
    show : bool
        Show the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The topomap; ``fig.gate_values`` holds the value of each cleaned
        channel (in the order of ``artifact_scores``' ``ch_names``).

    Raises
    ------
    TypeError
        If ``inst`` is an array (it has no channel positions) or the
        denoiser has no gate.
    ValueError
        If a cleaned channel has no position; the message says how to set
        a montage.

    See Also
    --------
    mne_denoise.FreqDomainDenoiser.artifact_scores : the decisions themselves.
    """
    import matplotlib.pyplot as plt

    _check_option("stat", stat, ("gate", "probability", "open"))
    if not hasattr(denoiser, "artifact_scores"):
        raise TypeError(
            f"{type(denoiser).__name__} has no artifact gate (no "
            "artifact_scores); plot_gate_topomap takes a fitted deep denoiser, "
            "e.g. FreqDomainDenoiser or SpatialDenoiser.")
    info = getattr(inst, "info", None)
    if info is None:
        raise TypeError(
            f"inst must be an MNE Epochs, Raw or Evoked with a montage (the "
            f"topomap needs channel positions), got {type(inst).__name__}. "
            "Wrap arrays with mne.EpochsArray(data, info) first.")
    scores = denoiser.artifact_scores(inst)
    fig = _draw_gate_topomap(scores, info, stat=stat, axes=axes, cmap=cmap,
                             title=title, name=type(denoiser).__name__)
    if show:
        plt.show()
    return fig


def _draw_gate_topomap(scores, info, *, stat="gate", axes=None, cmap="Reds",
                       title=None, name="denoiser"):
    """:func:`plot_gate_topomap` from ``artifact_scores`` already computed."""
    import matplotlib.pyplot as plt
    import mne

    from ..denoisers._spatial import eeg_positions

    names = list(scores["ch_names"])
    picks = mne.pick_channels(info.ch_names, names, ordered=True)
    eeg_positions(info, picks, what="plot_gate_topomap")
    if stat == "open":
        per_window = scores["gate"] > 0.5
    else:
        per_window = scores[stat]
    values = np.asarray(per_window, dtype=float).mean(axis=(0, 2))
    n_windows = scores["gate"].shape[0] * scores["gate"].shape[2]
    if axes is None:
        fig, axes = plt.subplots(figsize=(4.2, 3.6), layout="constrained")
    else:
        fig = axes.figure
    im, _ = mne.viz.plot_topomap(values, mne.pick_info(info, picks), axes=axes,
                                 cmap=cmap, vlim=(0.0, 1.0), show=False)
    label = {"gate": "mean gate (share of the correction applied)",
             "probability": "mean artifact probability",
             "open": "share of windows corrected (gate > 0.5)"}[stat]
    fig.colorbar(im, ax=axes, shrink=0.8, label=label)
    axes.set_title(title if title is not None
                   else f"{name}: {n_windows} windows per channel", fontsize=9)
    fig.gate_values = values
    return fig
