# License: BSD-3-Clause
"""The HTML report of one cleaned recording (``mne.Report``)."""

import html

import mne
import numpy as np


def _gate_figure(scores, threshold):
    """Per-window artifact probability of each channel, and the share corrected."""
    import matplotlib.pyplot as plt

    prob = scores["probability"][0]
    gate = scores["gate"][0]
    times = scores["times"]
    fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(9, 5.5), sharex=True,
                                   height_ratios=(3, 1), layout="constrained")
    step = np.median(np.diff(times)) if len(times) > 1 else 1.0
    extent = (times[0] - step / 2, times[-1] + step / 2, len(prob) - 0.5, -0.5)
    im = ax0.imshow(prob, aspect="auto", interpolation="nearest", cmap="magma",
                    vmin=0, vmax=1, extent=extent)
    names = scores["ch_names"]
    if len(names) <= 40:
        ax0.set_yticks(range(len(names)), names, fontsize=7)
    ax0.set_ylabel("EEG channel")
    thr = "no gate" if threshold is None else f"threshold {threshold:g}"
    ax0.set_title(f"Artifact probability per 2-s window ({thr})")
    fig.colorbar(im, ax=ax0, label="probability")
    ax1.plot(times, gate.mean(axis=0), "k.-", lw=1)
    ax1.set_ylim(-0.05, 1.05)
    ax1.set_ylabel("corrected\n(mean gate)")
    ax1.set_xlabel("Time (s)")
    return fig


def _summary_html(raw, cleaned, den, scores):
    eeg = [i for i, t in enumerate(raw.get_channel_types()) if t == "eeg"]
    before, after = raw.get_data(picks=eeg), cleaned.get_data(picks=eeg)
    removed = np.sqrt(np.mean((before - after) ** 2)) / max(
        np.sqrt(np.mean(before ** 2)), 1e-30)
    rows = [("Method", type(den).__name__),
            ("Parameters", ", ".join(f"{k}={v!r}" for k, v in
                                     sorted(den.get_params().items())
                                     if k != "info")),
            ("Channels cleaned", str(len(getattr(den, "clean_idx_", [])))),
            ("Bad channels (left unchanged)", ", ".join(raw.info["bads"]) or "none"),
            ("Removed share of the EEG (RMS)", f"{100 * removed:.1f} %")]
    if scores is not None:
        gate = scores["gate"]
        rows.append(("Windows corrected (gate > 0.5)",
                     f"{100 * np.mean(gate > 0.5):.1f} % of "
                     f"{gate.size} channel-windows"))
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                   for k, v in rows)
    return f"<table class='table table-sm'>{body}</table>"


def make_report(raw, cleaned, den, sub, *, title):
    """One recording's report: summary, traces, PSDs and the gate's decisions.

    Parameters
    ----------
    raw, cleaned : Raw
        The recording before and after cleaning.
    den : BaseDenoiser
        The fitted denoiser.
    sub : Raw
        The channels the denoiser was given (its ``artifact_scores`` input).
    title : str
        The report's title.

    Returns
    -------
    report : mne.Report
    """
    import matplotlib.pyplot as plt

    from ..viz import plot_overlay, plot_psd_comparison
    from ..viz._gate import _draw_gate_topomap

    report = mne.Report(title=f"mne-denoise: {title}", verbose=False)
    scores = den.artifact_scores(sub) if hasattr(den, "artifact_scores") else None
    report.add_html(_summary_html(raw, cleaned, den, scores), title="Summary",
                    section="Summary")
    report.add_raw(raw, title="Recording", psd=False, butterfly=False)
    for name, make in (
        ("Traces before/after (largest change)",
         lambda: plot_overlay(raw, cleaned, show=False)),
        ("PSD before/after", lambda: plot_psd_comparison(raw, cleaned,
                                                         show=False)),
    ):
        fig = make()
        report.add_figure(fig, title=name, section="Before / after")
        plt.close(fig)
    if scores is not None:
        fig = _gate_figure(scores, getattr(den, "threshold", None))
        report.add_figure(
            fig, title="Where the gate corrected", section="Gate",
            caption="The detector's artifact probability of each 2-s window "
            "of each cleaned channel; the network's correction is applied "
            "where it exceeds the threshold.")
        plt.close(fig)
        try:
            fig = _draw_gate_topomap(scores, sub.info, name=type(den).__name__)
        except ValueError:  # channels without positions: no map to draw
            fig = None
        if fig is not None:
            report.add_figure(
                fig, title="Where on the scalp", section="Gate",
                caption="The mean gate of each cleaned channel over the "
                "recording (plot_gate_topomap). On raw EEG a working gate "
                "opens mostly at frontal sites (eye movements) and over the "
                "temporal muscles.")
            plt.close(fig)
    return report
