# License: BSD-3-Clause
"""Power spectra before and after denoising."""

import numpy as np

from .._protocol import welch_psd
from ._overlay import _COLORS, _before_afters, _pick

__all__ = ["plot_psd_comparison"]


def plot_psd_comparison(inst_before, inst_after, *, picks="eeg", fmin=0.0,
                        fmax=None, sfreq=None, title=None, show=True):
    """Plot the power spectra before and after denoising, and their ratio.

    The PSD is the protocol's Welch estimator (Hann window, 1-s segments,
    50 % overlap; :func:`mne_denoise._protocol.welch_psd`), the one behind
    RRMSE_s, computed per channel and epoch and averaged over epochs.

    Parameters
    ----------
    inst_before : Raw | Epochs | Evoked | array
        The denoiser's input.
    inst_after : Raw | Epochs | Evoked | array | dict
        Its output (same type and shape), or ``{label: output}`` to compare
        several denoisers.
    picks : str | list of str | list of int | None
        Channels to include (names, indices or a channel type); default all
        EEG channels.
    fmin, fmax : float | None
        Frequency range shown, in Hz (``fmax=None``: Nyquist).
    sfreq : float | None
        Sampling rate of array inputs.
    title : str | None
        Figure title.
    show : bool
        Show the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Left: PSD averaged over the picked channels (dB); right: the change
        ``10 * log10(PSD_after / PSD_before)`` per frequency, the mean over
        channels with the range between the 10th and 90th percentiles
        shaded. A curve below 0 dB is power the denoiser removed.

    See Also
    --------
    plot_overlay : the same comparison in the time domain.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(3, 2, 512))
    >>> fig = plot_psd_comparison(x, 0.5 * x, sfreq=256.0, show=False)
    """
    import matplotlib.pyplot as plt

    before, afters, rate, names, types, in_volts = _before_afters(
        inst_before, inst_after, sfreq)
    ch = _pick(picks, names, types, list(range(before.shape[1])))
    if before.shape[-1] < 2:
        raise ValueError("The data need at least 2 samples per epoch for a PSD.")

    psd_b, freqs = welch_psd(before[:, ch], rate)
    psd_b = psd_b.mean(axis=0)  # (n_ch, n_freqs)
    fmax = rate / 2.0 if fmax is None else float(fmax)
    band = (freqs >= fmin) & (freqs <= fmax)
    if not band.any():
        raise ValueError(
            f"fmin={fmin}, fmax={fmax} select no frequency (0 to "
            f"{rate / 2:g} Hz at this resolution).")
    scale, unit = (1e12, "µV²/Hz") if in_volts else (1.0, "a.u.²/Hz")
    eps = np.finfo(float).tiny

    def db(p):
        return 10.0 * np.log10(np.maximum(p * scale, eps))

    fig, (ax_psd, ax_ratio) = plt.subplots(1, 2, figsize=(11, 3.8),
                                           layout="constrained")
    ax_psd.plot(freqs[band], db(psd_b.mean(axis=0))[band], color="0.4", lw=1.5,
                label="before")
    for k, (label, after) in enumerate(afters.items()):
        color = _COLORS[k % len(_COLORS)]
        psd_a = welch_psd(after[:, ch], rate)[0].mean(axis=0)
        ax_psd.plot(freqs[band], db(psd_a.mean(axis=0))[band], color=color,
                    lw=1.2, label=label)
        ratio = db(psd_a) - db(psd_b)  # (n_ch, n_freqs)
        lo, hi = np.percentile(ratio, [10, 90], axis=0)
        ax_ratio.fill_between(freqs[band], lo[band], hi[band], color=color,
                              alpha=0.2, lw=0)
        ax_ratio.plot(freqs[band], ratio.mean(axis=0)[band], color=color, lw=1.2,
                      label=label)
    ax_ratio.axhline(0.0, color="0.5", lw=0.8, ls="--")
    ax_psd.set(xlabel="frequency (Hz)", ylabel=f"PSD (dB {unit})",
               title=f"Mean PSD over {len(ch)} channel(s)")
    ax_ratio.set(xlabel="frequency (Hz)", ylabel="after / before (dB)",
                 title="Change in power per frequency")
    ax_psd.legend(fontsize=8)
    if len(afters) > 1:
        ax_ratio.legend(fontsize=8)
    for ax in (ax_psd, ax_ratio):
        ax.margins(x=0)
        ax.grid(alpha=0.3)
    if title is not None:
        fig.suptitle(title, fontsize=11)
    if show:
        plt.show()
    return fig
