"""
.. _tut-live-streaming:

Long recordings and live streams (MNE-LSL)
==========================================

In this tutorial you clean a recording in three ways and check that they
agree: offline with ``apply`` (block by block, in memory that does not grow
with the length of the recording), chunk by chunk with
:class:`~mne_denoise.online.OnlineDenoiser` (as a brain-computer interface
receives data), and live, over the Lab Streaming Layer: a
:class:`mne_lsl.player.PlayerLSL` replays the file as an amplifier would
stream it, :func:`~mne_denoise.online.clean_lsl_stream` reads it with
:class:`mne_lsl.stream.StreamLSL`, cleans it and pushes the cleaned stream to
a new outlet, which a :class:`mne_lsl.lsl.StreamInlet` reads back.
Everything stays on this machine and takes about a minute.
"""

# License: BSD-3-Clause

# %%
# A recording and a denoiser
# --------------------------
# The EEGLAB sample (30 EEG channels, two EOG channels, 128 Hz, 238 s). The
# pretrained :class:`~mne_denoise.FreqDomainDenoiser` is fitted on the first
# minute: with the shipped weights, ``fit`` only calibrates the artifact
# gate on this recording's EEG and learns how the EOG channels project onto
# the EEG (reference mode). ``blind`` mode would ignore them.
import threading
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import matplotlib.pyplot as plt
import numpy as np

from mne_denoise import FreqDomainDenoiser
from mne_denoise.datasets import read_eeglab_sample
from mne_denoise.online import OnlineDenoiser, clean_lsl_stream

raw = read_eeglab_sample()
raw.set_annotations(None)  # the player would stream them on a marker outlet
sfreq = raw.info["sfreq"]
den = FreqDomainDenoiser(noise_estimate="blind", device="cpu")
den.fit(raw.copy().crop(0, 60))

# %%
# Offline, block by block
# -----------------------
# ``apply`` cleans a Raw in blocks of windows (about a minute of 64
# channels each, or ``block_duration`` seconds), carrying the overlap-add
# state from block to block: peak memory is the output plus a constant,
# and the result is that of cleaning every window at once. ``verbose=True``
# shows a progress bar over the blocks.
offline = den.apply(raw, block_duration=30.0, verbose=True)

# %%
# Chunk by chunk
# --------------
# :class:`~mne_denoise.online.OnlineDenoiser` takes chunks of any size, here
# 1/32 s (4 samples), and returns as many cleaned samples, a constant
# :attr:`~mne_denoise.online.OnlineDenoiser.delay` behind: one 2-s window
# (a sample is final once the last window that covers it is complete) plus
# the reach of the resampling filters.
online = OnlineDenoiser(den)
print(f"Latency: {online.latency:.3f} s ({online.delay} samples)")
data = raw.get_data()
chunk = int(sfreq / 32)
t0 = time.perf_counter()
pieces = [online.push(data[:, a:a + chunk]) for a in range(0, data.shape[1], chunk)]
elapsed = time.perf_counter() - t0
streamed = np.concatenate(pieces, axis=1)
print(f"{data.shape[1] / sfreq:.0f} s of stream cleaned in {elapsed:.1f} s")

# %%
# After its first window, the stream equals the offline cleaning (to float64
# round-off); only the recording's last window, flush with its end, never
# comes out of a stream.
first, last = online.delay + int(sfreq), streamed.shape[1] - int(2 * sfreq)
gap = np.abs(streamed[:, first:last] - offline.get_data()[:, first:last]).max()
print(f"Largest difference to apply: {gap:.2e} V")

# %%
# Live, over LSL
# --------------
# The player replays the recording (once) as a stream named ``eeglab``;
# :func:`~mne_denoise.online.clean_lsl_stream` cleans it into the outlet
# ``eeglab-clean`` and returns when the input stops. A reader, in a thread,
# collects the cleaned stream. The cleaned samples carry the timestamps of
# the input samples they clean, so consumers align the two streams by time.
from mne_lsl.lsl import StreamInlet, resolve_streams  # noqa: E402
from mne_lsl.player import PlayerLSL  # noqa: E402

seconds = 20.0
received = []
done = threading.Event()


def read_cleaned():
    # A plain inlet hands over every sample once, from its queue (a
    # StreamLSL is a ring buffer of the latest samples, made for windows).
    inlet = StreamInlet(resolve_streams(timeout=10, name="eeglab-clean")[0])
    inlet.open_stream(timeout=10)
    while True:
        samples, _ = inlet.pull_chunk(timeout=0.0)
        if len(samples):
            received.append(np.array(samples).T)  # a copy: the buffer is reused
        elif done.is_set():
            break
        else:
            time.sleep(0.01)
    inlet.close_stream()


with TemporaryDirectory() as tmp:
    fname = Path(tmp) / "eeglab_raw.fif"
    # Two samples more: a last chunk of one sample, or none, makes the
    # player complain.
    raw.copy().crop(0, seconds + 2 / sfreq).save(fname)
    player = PlayerLSL(fname, chunk_size=chunk, n_repeat=1, name="eeglab")
    player.start()
    reader = threading.Thread(target=read_cleaned)
    reader.start()
    live = clean_lsl_stream(den, "eeglab", out_name="eeglab-clean", timeout=1.0)
    time.sleep(0.5)
    done.set()
    reader.join()
print(f"Cleaned live: {live.n_returned / sfreq:.1f} s")

# %%
# The recording, its offline cleaning, and the cleaned live stream as the
# reader received it (from when it joined; the last ``delay`` samples were
# still in the cleaner when the input stopped).
live_data = np.concatenate(received, axis=1)
pick = raw.ch_names.index("FPz") if "FPz" in raw.ch_names else 0
fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(8, 4.5), layout="constrained")
t = np.arange(int(seconds * sfreq)) / sfreq
ax0.plot(t, data[pick, :t.size] * 1e6, color="0.7", label="recorded")
ax0.plot(t, offline.get_data()[pick, :t.size] * 1e6, label="apply")
ax0.set(ylabel="µV", title=raw.ch_names[pick])
ax0.legend(loc="upper right")
ax1.plot(np.arange(live_data.shape[1]) / sfreq, live_data[pick] * 1e6,
         color="C2", label="live, over LSL")
ax1.set(xlabel="Time (s)", ylabel="µV")
ax1.legend(loc="upper right")

# %%
# From the command line
# ---------------------
# ``mne-denoise stream NAME`` does the same on any LSL stream: it fits the
# chosen method on the first ``--calibration`` seconds (default 20), then
# cleans into ``NAME-clean`` until the input stops or Ctrl-C::
#
#     mne-denoise stream eeglab --method freq_domain --blind
#
# See :ref:`long-recordings` for what the latency consists of, the compute
# time per hop and which denoisers stream.
