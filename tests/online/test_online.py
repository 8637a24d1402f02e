"""OnlineDenoiser and the block-wise apply: equal to the offline cleaning."""

import mne
import numpy as np
import pytest

from mne_denoise import (
    BandpassDenoiser,
    FreqDomainDenoiser,
    ICADenoiser,
    LowRankUnfoldedDenoiser,
    RegressionDenoiser,
)
from mne_denoise.online import OnlineDenoiser

SFREQ = 160.0


@pytest.fixture(scope="module")
def _raw_module():
    """24 s of 5 EEG channels and an EOG channel with blinks, 160 Hz."""
    rng = np.random.default_rng(0)
    n = int(24 * SFREQ)
    t = np.arange(n) / SFREQ
    eeg = rng.normal(size=(5, n)).cumsum(axis=-1) * 0.3e-6
    eeg += 10e-6 * np.sin(2 * np.pi * 10 * t) + rng.normal(size=(5, n)) * 5e-6
    blinks = sum(np.exp(-0.5 * ((t - c) / 0.1) ** 2) for c in range(3, 24, 4))
    eog = 150e-6 * blinks + rng.normal(size=n) * 2e-6
    eeg += np.array([0.8, 0.5, 0.3, 0.1, 0.05])[:, None] * eog
    info = mne.create_info(["Fp1", "Fp2", "C3", "Cz", "O1", "EOG"], SFREQ,
                           ["eeg"] * 5 + ["eog"])
    return mne.io.RawArray(np.concatenate([eeg, eog[None]]), info, verbose=False)


@pytest.fixture
def raw(_raw_module):
    return _raw_module.copy()


def _stream(online, data, chunk):
    out = []
    for a in range(0, data.shape[1], chunk):
        cleaned = online.push(data[:, a:a + chunk])
        out.append(cleaned)
        # Constant delay: exactly n_pushed - delay samples out so far.
        assert online.n_returned == max(0, online.n_pushed - online.delay)
    return np.concatenate(out, axis=1)


def _compare(online, den, raw, chunk=int(SFREQ / 32), constant=False, tol=1e-9):
    data = raw.get_data()
    offline = den.apply(raw).get_data()
    out = _stream(online, data, chunk)
    assert out.shape == (data.shape[0], data.shape[1] - online.delay)
    # After the first window (and the filters' reach) and before the
    # recording's last window (flush with its end, which a stream never has).
    first, last = online.delay + int(SFREQ), out.shape[1] - int(2 * SFREQ)
    diff = out[:, first:last] - offline[:, first:last]
    if constant:  # a constant per channel apart (the references' mean)
        diff -= diff.mean(axis=-1, keepdims=True)
    np.testing.assert_allclose(diff, 0, atol=tol * np.abs(offline).max())
    return out, offline


@pytest.mark.parametrize("cls", [FreqDomainDenoiser, LowRankUnfoldedDenoiser])
def test_flagships_stream_as_they_clean_offline(cls, raw):
    # Blind (no references), shipped weights, the gate on (threshold 0.5).
    raw.pick(["Fp1", "Fp2", "C3", "Cz", "O1"])
    den = cls(device="cpu").fit(raw)
    online = OnlineDenoiser(den)
    # One window (2 s) plus the resampling filters' reach.
    assert 2.0 <= online.latency <= 2.2
    out, offline = _compare(online, den, raw)
    assert not np.allclose(out, raw.get_data()[:, :out.shape[1]])  # it cleans


@pytest.mark.parametrize("regression", ["frequency", "time"])
def test_reference_mode_streams_up_to_a_constant(raw, regression):
    den = FreqDomainDenoiser(device="cpu", reference_regression=regression).fit(raw)
    assert den.noise_estimate_ == "reference"
    online = OnlineDenoiser(den)
    # The frequency-domain share reads 0.5 s ahead: that much more delay.
    blind = OnlineDenoiser(FreqDomainDenoiser(device="cpu").fit(raw.copy().pick("eeg")))
    extra = int(SFREQ) // 2 if regression == "frequency" else 0
    assert online.delay == blind.delay + extra
    # The references' mean over the first second stands for their mean over
    # the recording: a constant per channel, that constant's resampling
    # ripple through the network (about 1e-4 of the signal), and the gate's
    # response to the ripple where a window sits near the threshold (a few
    # samples, up to 0.3 % of the signal with the time-local weights).
    out, offline = _compare(online, den, raw, constant=True, tol=5e-3)
    # The EOG channel passes unchanged, delayed like the rest.
    np.testing.assert_array_equal(out[5], raw.get_data()[5, :out.shape[1]])


@pytest.mark.parametrize("make, constant", [
    (lambda: RegressionDenoiser(), True),
    (lambda: RegressionDenoiser(domain="frequency"), True),
    (lambda: ICADenoiser(n_components=4, random_state=0), False),
    (lambda: BandpassDenoiser(1.0, 40.0, method="fir"), False),
])
def test_classical_denoisers_stream(make, constant, raw):
    den = make().fit(raw)
    online = OnlineDenoiser(den)
    _compare(online, den, raw, chunk=7, constant=constant, tol=1e-12)
    if isinstance(den, BandpassDenoiser):
        assert online.delay > 0  # half the FIR filter
    else:  # 0, or the frequency-domain regression's look-ahead (0.5 s)
        assert online.delay == den._prepare_reach[1]
        assert online.delay == (int(SFREQ) // 2 if getattr(den, "domain", "")
                                == "frequency" else 0)


def test_any_chunk_size_gives_the_same_stream(raw):
    den = BandpassDenoiser(1.0, 40.0, method="fir").fit(raw)
    data = raw.get_data()[:, :2000]
    a = _stream(OnlineDenoiser(den), data, 1)
    b = _stream(OnlineDenoiser(den), data, 333)
    scale = np.abs(a).max()
    # The filter's state carries over exactly; sums round differently.
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-13 * scale)
    online = OnlineDenoiser(den)
    _stream(online, data, 100)
    # reset() starts a new stream.
    np.testing.assert_array_equal(_stream(online.reset(), data, 1), a)


def test_online_refuses_what_it_cannot_stream(raw):
    with pytest.raises(ValueError, match="forward and backward"):
        OnlineDenoiser(BandpassDenoiser(method="iir").fit(raw))
    with pytest.raises(ValueError, match="fit"):
        OnlineDenoiser(BandpassDenoiser(method="fir"))
    with pytest.raises(TypeError, match="denoiser"):
        OnlineDenoiser(object())
    online = OnlineDenoiser(BandpassDenoiser(method="fir").fit(raw))
    with pytest.raises(ValueError, match=r"n_channels=6"):
        online.push(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="NaN"):
        online.push(np.full((6, 10), np.nan))
    with pytest.raises(ValueError, match="fitted rate"):
        OnlineDenoiser(RegressionDenoiser().fit(raw), sfreq=250.0)


def test_apply_cleans_a_long_raw_block_by_block(raw, capsys):
    raw.pick(["Fp1", "Fp2", "C3", "Cz", "O1"])
    den = FreqDomainDenoiser(device="cpu").fit(raw)
    whole = den.transform(raw)  # all windows at once (short data)
    blocked = den.apply(raw, block_duration=5.0, verbose=True)
    assert isinstance(blocked, mne.io.BaseRaw)
    # float64 round-off (the gate's matrix products round differently in
    # batches of other sizes).
    np.testing.assert_allclose(blocked.get_data(), whole.get_data(), rtol=0,
                               atol=1e-12 * np.abs(whole.get_data()).max())
    assert "Cleaning with FreqDomainDenoiser" in capsys.readouterr().err
    with pytest.raises(ValueError, match="block_duration"):
        den.apply(raw, block_duration=0)


@pytest.mark.parametrize("eog, regression", [(True, "time"), (True, "frequency"),
                                             (False, "time")])
def test_apply_block_by_block_matches_with_references_and_flat_channels(
        raw, eog, regression):
    data = raw.get_data()
    data[3] = 1e-6  # a flat EEG channel
    raw = mne.io.RawArray(data, raw.info, verbose=False)
    if not eog:
        raw.pick("eeg")
    den = FreqDomainDenoiser(device="cpu", reference_regression=regression).fit(raw)
    assert den.noise_estimate_ == ("reference" if eog else "blind")
    whole = den.transform(raw).get_data()
    blocked = den.apply(raw, block_duration=4.0).get_data()
    np.testing.assert_allclose(blocked, whole, rtol=0,
                               atol=1e-12 * np.abs(whole).max())
    if not eog:  # nothing to clean on a flat channel: it passes unchanged
        np.testing.assert_array_equal(blocked[3], data[3])


class _RacingStream:
    """A ring buffer whose acquisition adds a chunk between two calls.

    As MNE-LSL's StreamLSL when its acquisition thread runs between
    ``n_new_samples`` and ``get_data``: the count read is one chunk short.
    """

    def __init__(self, bufsize=64, chunk=4):
        self.data = np.zeros((1, bufsize))
        self.stamps = np.zeros(bufsize)
        self.chunk, self.next, self.pending = chunk, 0, 0

    def acquire(self):
        new = np.arange(self.next, self.next + self.chunk, dtype=float)
        self.next += self.chunk
        self.data = np.roll(self.data, -self.chunk, axis=1)
        self.stamps = np.roll(self.stamps, -self.chunk)
        self.data[0, -self.chunk:] = new
        self.stamps[-self.chunk:] = 100.0 + new / 128
        self.pending += self.chunk

    @property
    def n_new_samples(self):
        n = self.pending
        self.acquire()  # the race: a chunk lands right after the count
        return n

    def get_data(self, winsize=None, picks=None):
        self.pending = 0
        n = self.stamps.size if winsize is None else round(winsize * 128)
        return self.data[:, -n:], self.stamps[-n:]


def test_lsl_reader_loses_no_sample_when_a_chunk_lands_mid_read():
    from mne_denoise.online._lsl import _read_new

    stream = _RacingStream()
    stream.acquire()
    got, last = [], None
    for _ in range(12):
        new = _read_new(stream, last)
        if new is not None:  # None: nothing counted yet, read again
            got.append(new[0][0])
            last = new[1][-1]
    got = np.concatenate(got)
    # Every sample once, in order, although each count was one chunk short.
    np.testing.assert_array_equal(got, np.arange(got[0], got[0] + got.size))
    assert got.size >= 10 * stream.chunk
