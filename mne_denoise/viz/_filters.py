# License: BSD-3-Clause
"""The filters FreqDomainDenoiser's network computes for given data.

The estimator computes them (:meth:`FreqDomainDenoiser.filter_responses`);
this module only draws.
"""

import numpy as np

__all__ = ["plot_filter_responses"]

_LN_TO_DB = 10.0 / np.log(10.0)


def plot_filter_responses(denoiser, inst, *, picks=None, epoch=0, fmax=None,
                          show=True):
    """Plot the frequency responses of the filters FreqDomainDenoiser computes.

    :class:`~mne_denoise.FreqDomainDenoiser` does not have fixed filters: for
    every 2-s window its network reads the noise spectrum (from the EOG/EMG
    references, or its own estimate in blind mode) and the noisy spectrum,
    and computes the filters of each convolution step. This figure shows,
    for one channel of one epoch, those input spectra and the magnitude
    responses of every step's filters, averaged over the epoch's windows.

    Parameters
    ----------
    denoiser : FreqDomainDenoiser
        A fitted denoiser; its mode (reference or blind,
        ``denoiser.noise_estimate_``) decides which noise spectrum is used.
    inst : Epochs | Raw | Evoked | array
        Data with the channels seen at ``fit`` (as for ``transform``).
    picks, epoch : str | int | None, int
        The EEG channel and the epoch to analyse, as
        :meth:`FreqDomainDenoiser.filter_responses` takes them.
    fmax : float | None
        Highest frequency shown, in Hz; default the lower of the input's and
        the model's Nyquist frequency (above the input's there is nothing to
        filter).
    show : bool
        Show the figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Top: the noisy log-PSD, the learned noise estimate and (reference
        mode) the references' noise log-PSD, in dB of the standardized window.
        Below, one panel per convolution step (``c_in -> c_out``): the
        magnitude response, in dB, of each of its ``c_out * c_in`` filters.
        The network applies an ELU between steps, so the cascade is not the
        product of these responses.

    See Also
    --------
    mne_denoise.nn.FreqDomainNet.filters : the filters as tensors.

    Examples
    --------
    >>> import numpy as np
    >>> from mne_denoise import FreqDomainDenoiser
    >>> X = np.random.default_rng(0).normal(size=(2, 1, 512))
    >>> den = FreqDomainDenoiser(sfreq=256.0).fit(X)
    >>> fig = plot_filter_responses(den, X, show=False)
    """
    import matplotlib.pyplot as plt

    from ..denoisers import FreqDomainDenoiser

    if not isinstance(denoiser, FreqDomainDenoiser):
        raise TypeError(
            "denoiser must be a FreqDomainDenoiser (its network computes "
            f"filters from spectra), got {type(denoiser).__name__}.")
    resp = denoiser.filter_responses(inst, picks=picks, epoch=epoch)
    freqs, mags = resp["freqs"], resp["responses"]
    log_noisy, log_est = resp["log_psd_noisy"], resp["log_psd_noise_estimate"]
    log_ref = resp["log_psd_noise_reference"]
    if fmax is None:
        fmax = min(resp["sfreq"], resp["model_sfreq"]) / 2.0
    band = freqs <= fmax

    n_steps = len(mags)
    fig, axes = plt.subplots(n_steps + 1, 1, sharex=True,
                             figsize=(8, 1.9 * (n_steps + 1) + 0.8),
                             layout="constrained")
    ax = axes[0]
    ax.plot(freqs[band], log_noisy[band] * _LN_TO_DB, color="0.4", lw=1.2,
            label="noisy signal")
    ax.plot(freqs[band], log_est[band] * _LN_TO_DB, color="C3", lw=1.2,
            label="noise, learned estimate")
    if log_ref is not None:
        ax.plot(freqs[band], log_ref[band] * _LN_TO_DB, color="C0", lw=1.2,
                label="noise, from the references")
    used = ("references" if log_ref is not None
            else "learned estimate, on the EEG minus the regressed references"
            if getattr(denoiser, "noise_estimate_", "blind") == "reference"
            else "learned estimate (blind)")
    ax.set_title(f"Input spectra ({resp['n_windows']} window(s); the filters use "
                 f"the {used})", fontsize=10)
    ax.set_ylabel("log-PSD (dB)")
    ax.legend(fontsize=8, loc="upper right")
    for k, (mag, ax) in enumerate(zip(mags, axes[1:], strict=True)):
        c_out, c_in = mag.shape[:2]
        db = 20.0 * np.log10(np.maximum(mag, 1e-12))
        for o in range(c_out):
            for i in range(c_in):
                ax.plot(freqs[band], db[o, i][band], lw=0.9, alpha=0.8,
                        color=f"C{(o * c_in + i) % 10}")
        ax.set_ylabel("|H(f)| (dB)")
        ax.set_title(f"Step {k + 1}: {c_in} -> {c_out} channel(s), "
                     f"{c_out * c_in} filter(s)", fontsize=10)
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.margins(x=0)
    axes[-1].set_xlabel("frequency (Hz)")
    fig.suptitle(f"{type(denoiser).__name__} filters: {resp['channel']}, epoch "
                 f"{resp['epoch']}", fontsize=11)
    if show:
        plt.show()
    return fig
