# License: BSD-3-Clause
"""``mne-denoise demo``: the pretrained model on a bundled simulated example."""

from pathlib import Path

import numpy as np

from .. import metrics
from ..datasets import simulate_epochs
from ..denoisers import FreqDomainDenoiser


def _scores(denoised, contaminated, clean, sfreq):
    d, n, c = (x.reshape(-1, x.shape[-1]) for x in (denoised, contaminated, clean))
    return {
        "RRMSE_t": float(metrics.rrmse_temporal(d, c).mean()),
        "RRMSE_s": float(metrics.rrmse_spectral(d, c, sfreq).mean()),
        "CC": float(metrics.correlation(d, c).mean()),
        "SNR imp. (dB)": float(metrics.snr_improvement(d, n, c).mean()),
    }


def run_demo(*, out="mne_denoise_demo", figure=True, device="auto", random_state=0):
    """Denoise a simulated contaminated recording and report before/after.

    The example is made by :func:`mne_denoise.datasets.simulate_epochs`
    (seeded): 16 EEG channels with blinks projected frontally and muscle
    bursts temporally, plus the EOG and EMG source channels as references.
    The pretrained :class:`~mne_denoise.FreqDomainDenoiser` cleans it in
    reference mode and in blind mode (references ignored).

    Returns
    -------
    results : dict
        Metrics per condition (``"before"``, ``"reference"``, ``"blind"``).
    """
    contaminated, clean = simulate_epochs(n_epochs=30, random_state=random_state)
    sfreq = contaminated.info["sfreq"]
    eeg = dict(picks="eeg")
    x_noisy = contaminated.get_data(**eeg)
    x_clean = clean.get_data(**eeg)
    results = {"before": _scores(x_noisy, x_noisy, x_clean, sfreq)}
    cleaned = {}
    for mode in ("reference", "blind"):
        den = FreqDomainDenoiser(noise_estimate=mode, device=device,
                                 random_state=random_state)
        cleaned[mode] = den.fit(contaminated).transform(contaminated)
        results[mode] = _scores(cleaned[mode].get_data(**eeg), x_noisy, x_clean,
                                sfreq)
    names = list(results["before"])
    print(f"mne_denoise demo: {len(contaminated)} simulated epochs, "
          f"{x_noisy.shape[1]} EEG channels, {sfreq:g} Hz, blinks + muscle bursts")
    print(f"{'':<26}" + "".join(f"{n:>15}" for n in names))
    labels = {"before": "contaminated (before)",
              "reference": "FreqDomain, reference",
              "blind": "FreqDomain, blind"}
    for key, label in labels.items():
        print(f"{label:<26}" + "".join(f"{results[key][n]:>15.3f}" for n in names))
    if figure:
        path = _figure(contaminated, clean, cleaned, Path(out))
        print(f"Figure written to {path}")
    return results


def _figure(contaminated, clean, cleaned, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    info = contaminated.info
    names = [info.ch_names[i] for i in range(len(info.ch_names))
             if info.get_channel_types()[i] == "eeg"][:3]
    # The epoch whose first channel is most contaminated shows the effect best.
    dev = np.abs(contaminated.get_data(picks=names[0]) -
                 clean.get_data(picks=names[0]))[:, 0].max(axis=1)
    ep = int(np.argmax(dev))
    t = contaminated.times
    fig, axes = plt.subplots(len(names), 1, figsize=(10, 2.4 * len(names)),
                             sharex=True, layout="constrained")
    for ax, ch in zip(np.atleast_1d(axes), names, strict=True):
        ax.plot(t, contaminated.get_data(picks=ch)[ep, 0] * 1e6, color="0.6",
                lw=1, label="contaminated")
        ax.plot(t, clean.get_data(picks=ch)[ep, 0] * 1e6, color="k", lw=1.2,
                label="clean (ground truth)")
        ax.plot(t, cleaned["reference"].get_data(picks=ch)[ep, 0] * 1e6,
                color="C0", lw=1, label="denoised, reference")
        ax.plot(t, cleaned["blind"].get_data(picks=ch)[ep, 0] * 1e6, color="C3",
                lw=1, ls="--", label="denoised, blind")
        ax.set_ylabel(f"{ch} (µV)")
    np.atleast_1d(axes)[0].legend(loc="upper right", ncols=2, fontsize=8)
    np.atleast_1d(axes)[-1].set_xlabel("Time (s)")
    fig.suptitle(f"FreqDomainDenoiser on a simulated epoch (#{ep})")
    path = out / "demo_before_after.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
