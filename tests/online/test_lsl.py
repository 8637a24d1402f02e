"""The LSL round trip: a player replays a file, the stream is cleaned live.

Everything stays on the machine (liblsl's resolve scope is set to the
machine, IPv4 only) and ends by itself: the player plays the file once, and
clean_lsl_stream returns when no sample came for a second.
"""

import contextlib
import os
import threading
import time

import mne
import numpy as np
import pytest

# Real-time round trips: a CPU loaded by parallel tests breaks their streams
# (liblsl reconnects and loses a chunk), so they run in a pass of their own.
pytestmark = pytest.mark.live_stream

pytest.importorskip("mne_lsl", reason="mne-lsl is not installed (pip install "
                    "'mne-denoise[lsl]')")

_CFG = os.path.join(os.path.dirname(__file__), "_lsl_api.cfg")
# Read by liblsl when it first starts, hence before it loads.
os.environ.setdefault("LSLAPICFG", _CFG)
try:
    from mne_lsl.lsl import StreamInlet, resolve_streams
    from mne_lsl.player import PlayerLSL
except (ImportError, OSError, RuntimeError) as err:  # liblsl did not load
    pytest.skip(f"liblsl cannot load here: {err}", allow_module_level=True)

from mne_denoise import BandpassDenoiser  # noqa: E402
from mne_denoise.online import clean_lsl_stream  # noqa: E402

SFREQ = 128.0


def _recording(tmp_path, seconds=4.0):
    """A FIF file: 3 EEG channels and a channel that counts the samples."""
    rng = np.random.default_rng(0)
    # Not a multiple of the player's chunk: MNE-LSL's player reports an
    # empty last chunk as an error (and warns about a one-sample one).
    n = int(seconds * SFREQ) + 2
    eeg = rng.normal(size=(3, n)).cumsum(axis=-1) * 1e-6
    index = np.arange(n, dtype=float)[None]
    info = mne.create_info(["C3", "Cz", "C4", "IDX"], SFREQ,
                           ["eeg", "eeg", "eeg", "misc"])
    raw = mne.io.RawArray(np.concatenate([eeg, index]), info, verbose=False)
    fname = tmp_path / "replay_raw.fif"
    raw.save(fname, verbose=False)
    return fname, raw


def _player(fname, name):
    """A player that replays ``fname`` once as stream ``name``.

    Its source_id is its name (MNE-LSL's default is the same for every
    player): an inlet that loses its stream reconnects to any outlet with the
    same source_id, e.g. another test's player in a parallel pytest worker.
    """
    return PlayerLSL(fname, chunk_size=4, n_repeat=1, name=name, source_id=name)


def _collect(name, out, stop):
    """Read every sample of the cleaned stream until told to stop (a thread).

    A plain inlet, not StreamLSL: its queue hands over each sample once,
    independently of how the cleaner reads its own input.
    """
    sinfo = resolve_streams(timeout=10.0, name=name)
    assert len(sinfo) == 1, f"{len(sinfo)} streams named {name!r}"
    inlet = StreamInlet(sinfo[0])
    inlet.open_stream(timeout=10.0)
    got = []
    try:
        while True:
            data, _ = inlet.pull_chunk(timeout=0.0)
            if len(data):
                got.append(np.array(data).T)  # pull_chunk reuses its buffer
            elif stop.is_set():
                break
            else:
                time.sleep(0.01)
    finally:
        inlet.close_stream()
    out.append(np.concatenate(got, axis=1) if got else np.empty((4, 0)))


def test_lsl_round_trip_cleans_a_replayed_file_and_stops(tmp_path):
    fname, raw = _recording(tmp_path)
    offline = BandpassDenoiser(2.0, 30.0, method="fir").fit(raw).apply(raw)
    name = f"mne-denoise-test-{os.getpid()}"
    player = _player(fname, name)
    received, stop = [], threading.Event()
    reader = threading.Thread(target=_collect, args=(f"{name}-clean", received,
                                                     stop))
    player.start()
    reader.start()
    t0 = time.monotonic()
    try:
        # Unfitted: fitted on the stream's first second (calibration).
        online = clean_lsl_stream(BandpassDenoiser(2.0, 30.0, method="fir"), name,
                                  calibration=1.0, timeout=1.0)
    finally:
        time.sleep(0.3)
        stop.set()
        reader.join(timeout=15)
        # Played once, the player stops by itself at the end of the file.
        with contextlib.suppress(RuntimeError):
            player.stop()
    elapsed = time.monotonic() - t0
    assert elapsed < 30, "the round trip did not stop by itself"
    assert online.latency == pytest.approx(online.delay / SFREQ)
    data = received[0]
    # The sample counter passes unchanged: what came out, in order, no gap.
    idx = data[3].round().astype(int)
    assert data.shape[1] > SFREQ, "too little came through"
    np.testing.assert_array_equal(np.diff(idx), 1)
    # Away from where the stream was joined, equal to the offline cleaning
    # (float32 round-off of LSL's transport at most).
    keep = idx >= idx[0] + 2 * online.delay
    assert keep.sum() > SFREQ / 4
    expected = offline.get_data()[:3, idx[keep]]
    np.testing.assert_allclose(data[:3, keep], expected,
                               atol=1e-5 * np.abs(expected).max())


def test_stream_command_cleans_until_the_input_stops(tmp_path, capsys):
    from mne_denoise.cli import main

    fname, raw = _recording(tmp_path, seconds=3.0)
    saved = tmp_path / "bandpass.pt"
    BandpassDenoiser(2.0, 30.0, method="fir").fit(raw).save(saved)
    name = f"mne-denoise-cli-{os.getpid()}"
    player = _player(fname, name)
    player.start()
    try:
        status = main(["stream", name, "--method", str(saved), "--timeout", "1"])
    finally:
        with contextlib.suppress(RuntimeError):
            player.stop()
    assert status == 0
    out = capsys.readouterr().out
    assert f"of {name!r} (latency" in out
    assert int(out.split("Cleaned ")[1].split()[0]) > SFREQ


def test_stream_command_says_when_there_is_no_stream(capsys):
    from mne_denoise.cli import main

    status = main(["stream", "no-such-stream-mne-denoise", "--method",
                   "bandpass", "--timeout", "0.5"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("mne-denoise stream: error:")
