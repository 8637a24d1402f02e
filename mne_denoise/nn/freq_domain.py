# License: BSD-3-Clause
"""Frequency-domain denoising network (after Gabardi et al., 2023).

Gabardi, Passaretti, Cappelli, Borghesi, Ferretti & Lanzi (2023). "A
multi-artifact EEG denoising by frequency-based deep learning". The network
turns what is known of the noise spectrum into time-domain filters:

* **Kernel evaluators** (one per convolution step, all trainable parameters
  live here) read three spectra, the noise log-PSD, the noisy log-PSD and
  their ratio, through two symmetric stacks of 1-D convolutions with tanh,
  one for the real and one for the imaginary part of ``n_bases`` spectral
  filters. An inverse real FFT makes them time-domain filters as long as the
  input, a kernel-size-1 convolution combines the bases into the step's
  ``c_out * c_in`` filters and a final tanh bounds them to [-1, 1].
* The **filter applier** has no parameters of its own: it convolves the noisy
  signal with the first evaluator's filters (FFT convolution, zero lag in the
  middle of the filter), ELU, the next step's filters, ELU, ..., and the last
  convolution (no activation) returns the denoised signal.
* A **noise-PSD estimator** predicts the noise log-PSD from the noisy signal
  alone. The paper names it as the next step; here it makes the network usable
  without any reference channel (blind mode). When a noise reference is given
  (a reference channel's share, or the exact artifact during training), its
  spectrum is used instead.
* **Time-local filters** (``frame``, our extension): the paper computes one
  set of filters per window; with ``frame`` each half-overlapping frame of
  the window gets its own, from its own spectra, and the filtered frames are
  overlap-added under a periodic Hann window.
"""

from __future__ import annotations

import functools

import torch
from torch import nn

from ._spectral import log_periodogram


def fast_tanh(x: torch.Tensor) -> torch.Tensor:
    """``tanh(x)`` as ``2 * sigmoid(2 x) - 1``.

    The same function; on CPU torch's sigmoid kernel is several times faster
    than its tanh (float32, 1.2e-7 apart at most, within float32 rounding of
    the result's scale of 1).
    """
    s = torch.sigmoid(2.0 * x)
    if s.requires_grad:  # sigmoid's backward needs its output unchanged
        return 2.0 * s - 1.0
    return s.mul_(2.0).sub_(1.0)


class FastTanh(nn.Module):
    """:func:`fast_tanh` as a module (a drop-in for :class:`torch.nn.Tanh`)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return ``tanh(x)``."""
        return fast_tanh(x)


def _conv_stack(in_ch, hidden, out_ch, kernel_size, n_layers):
    """Conv1d stack over frequency bins, tanh between layers, dilated."""
    layers = []
    ch = in_ch
    for i in range(n_layers - 1):
        dil = 2**i
        layers += [
            nn.Conv1d(ch, hidden, kernel_size, padding=dil * (kernel_size // 2),
                      dilation=dil),
            FastTanh(),
        ]
        ch = hidden
    layers.append(nn.Conv1d(ch, out_ch, kernel_size, padding=kernel_size // 2))
    return nn.Sequential(*layers)


class KernelEvaluator(nn.Module):
    """Spectra in, bounded time-domain filters out.

    Parameters
    ----------
    n_times : int
        Length of the signal, and so of the filters.
    c_in, c_out : int
        Channels of the convolution step these filters serve.
    n_bases : int
        Number of spectral filters the two stacks estimate.
    hidden : int
        Width of the convolution stacks.
    kernel_size, n_layers : int
        Shape of the convolution stacks.
    use_bias : bool
        Also evaluate one offset per output channel.

    Notes
    -----
    Input ``(batch, 3, n_freqs)`` (spectra, possibly pooled over frequency);
    output ``(filters, offsets)``: filters ``(batch, c_out, c_in, n_times)``
    with the zero lag at index ``n_times // 2``, offsets ``(batch, c_out, 1)``
    or None.
    """

    def __init__(self, n_times, c_in, c_out, *, n_bases=16, hidden=32,
                 kernel_size=5, n_layers=3, use_bias=False):
        super().__init__()
        self.n_times, self.c_in, self.c_out = n_times, c_in, c_out
        self.real = _conv_stack(3, hidden, n_bases, kernel_size, n_layers)
        self.imag = _conv_stack(3, hidden, n_bases, kernel_size, n_layers)
        self.combine = nn.Conv1d(n_bases, c_out * c_in, kernel_size=1)
        # Per-output-channel offsets added after the convolution, so that
        # the ELU between steps can act as a data-dependent threshold (it
        # clips large negative excursions, e.g. blink peaks) rather than a
        # fixed rectification at zero.
        self.bias = nn.Linear(2 * n_bases, c_out) if use_bias else None
        # Long filters with taps near +-1 would multiply the signal's scale
        # by hundreds; start them near zero so the residual path of
        # FreqDomainNet makes the untrained network an identity.
        nn.init.normal_(self.combine.weight, std=1e-3)
        nn.init.zeros_(self.combine.bias)

    def forward(self, spectra: torch.Tensor):
        """Evaluate filters (and offsets); see the class docstring for shapes."""
        re, im = _twin_stacks(self.real, self.imag, spectra)
        # upsampling to the window's bins, the inverse FFT, the roll that
        # centres the zero lag and the kernel-size-1 combination of the bases
        # are all linear: combine the bases first, on the coarse grid, then
        # apply one precomputed matrix for the rest (the same numbers, a few
        # times fewer operations than doing it in that order).
        w = self.combine.weight[..., 0]  # (c_out * c_in, n_bases)
        coarse = torch.cat([torch.matmul(w, re), torch.matmul(w, im)], dim=-1)
        synth = _synthesis_matrix(re.shape[-1], self.n_times, coarse.dtype,
                                  coarse.device)
        filt = fast_tanh(torch.matmul(coarse, synth)
                         .add_(self.combine.bias.view(-1, 1)))
        filt = filt.view(filt.shape[0], self.c_out, self.c_in, self.n_times)
        bias = None
        if self.bias is not None:
            pooled = torch.cat([re.mean(dim=-1), im.mean(dim=-1)], dim=1)
            bias = self.bias(pooled).unsqueeze(-1)
        return filt, bias


def _twin_stacks(real, imag, x):
    """Run two :func:`_conv_stack` of the same shape on ``x`` as one.

    Their layers are concatenated into grouped convolutions (the first reads
    the shared input, the others one group each), which computes exactly
    what ``real(x), imag(x)`` would in half the kernel calls.
    """
    h = x
    groups = 1
    for lr, li in zip(real, imag, strict=True):
        if not isinstance(lr, nn.Conv1d):
            h = lr(h)  # the activation, the same for both halves
            continue
        h = nn.functional.conv1d(
            h, torch.cat([lr.weight, li.weight]), torch.cat([lr.bias, li.bias]),
            padding=lr.padding, dilation=lr.dilation, groups=groups)
        groups = 2
    return h.chunk(2, dim=1)


@functools.lru_cache(maxsize=16)
def _synthesis_matrix(n_coarse, n_times, dtype, device):
    """``(2 * n_coarse, n_times)``: coarse (real; imaginary) spectra to filters.

    Row ``j`` is what linear interpolation to ``n_times // 2 + 1`` bins, the
    inverse real FFT and the roll that puts the zero lag at ``n_times // 2``
    make of the ``j``-th unit spectrum (real parts first). Cached per shape,
    dtype and device; a constant, built outside any inference mode so that
    training can use it too.
    """
    with torch.inference_mode(False), torch.no_grad():
        eye = torch.eye(n_coarse, dtype=torch.float64).unsqueeze(1)
        up = _upsample(eye, n_times // 2 + 1)[:, 0]
        zero = torch.zeros_like(up)
        rows = torch.fft.irfft(torch.complex(torch.cat([up, zero]),
                                             torch.cat([zero, up])),
                               n=n_times, dim=-1)
        rows = torch.roll(rows, n_times // 2, dims=-1)
        return rows.to(dtype=dtype, device=device)


def _upsample(x, n):
    """Linear interpolation of ``(batch, ch, m)`` spectra to ``n`` bins."""
    if x.shape[-1] == n:
        return x
    return nn.functional.interpolate(x, size=n, mode="linear", align_corners=True)


def _pool(x, factor):
    """Average adjacent frequency bins (the stacks run on a coarser grid)."""
    if factor <= 1:
        return x
    return nn.functional.avg_pool1d(x, factor, stride=factor, ceil_mode=True)


def fft_conv(x: torch.Tensor, filters: torch.Tensor) -> torch.Tensor:
    """Per-example multichannel linear convolution through the FFT.

    Parameters
    ----------
    x : Tensor, shape (batch, c_in, n_times)
    filters : Tensor, shape (batch, c_out, c_in, n_times)
        Zero lag at index ``n_times // 2``.

    Returns
    -------
    y : Tensor, shape (batch, c_out, n_times)
        ``y[b, o] = sum_i x[b, i] * filters[b, o, i]`` ("same" output).
    """
    n = x.shape[-1]
    nfft = 2 * n
    # Zero-padded here, not by ``rfft(n=nfft)``: the same numbers, but on CPU
    # rfft's own padding allocates fresh memory on every call, and page
    # faults made it several times slower than the transform itself.
    xf = torch.fft.rfft(nn.functional.pad(x, (0, nfft - n)), dim=-1)
    wf = torch.fft.rfft(nn.functional.pad(filters, (0, nfft - n)), dim=-1)
    # The sum over input channels (a broadcast product: several times faster
    # than einsum for these few channels).
    yf = (xf.unsqueeze(1) * wf).sum(dim=2)
    y = torch.fft.irfft(yf, n=nfft, dim=-1)
    start = n // 2
    return y[..., start:start + n]


class NoisePSDEstimator(nn.Module):
    """Predict the noise log-PSD from the noisy log-PSD (blind mode).

    A small dilated convolution stack over frequency, with a residual link so
    that it starts from "the noise is the whole signal".

    Parameters
    ----------
    hidden : int
        Width of the convolution stack.
    kernel_size : int
        Kernel size of its convolutions.
    n_layers : int
        Number of convolutions.

    Notes
    -----
    Input and output ``(batch, 1, n_freqs)``.
    """

    def __init__(self, *, hidden=24, kernel_size=5, n_layers=4):
        super().__init__()
        layers = []
        ch = 1
        for i in range(n_layers - 1):
            dil = 2 ** (i % 4)
            layers += [
                nn.Conv1d(ch, hidden, kernel_size, padding=dil * (kernel_size // 2),
                          dilation=dil),
                nn.GELU(),
            ]
            ch = hidden
        layers.append(nn.Conv1d(ch, 1, kernel_size, padding=kernel_size // 2))
        self.net = nn.Sequential(*layers)

    def forward(self, log_psd_noisy: torch.Tensor) -> torch.Tensor:
        """Return the estimated noise log-PSD, same shape as the input."""
        return log_psd_noisy + self.net(log_psd_noisy)


class FreqDomainNet(nn.Module):
    """Noise-PSD-conditioned learned filters for single-channel denoising.

    Parameters
    ----------
    n_times : int
        Window length in samples (512 for the shipped 2-s windows at 256 Hz).
    channels : tuple of int
        Channels after each convolution step but the last (which returns one
        channel). ``(4, 4)`` gives three steps, 1 -> 4 -> 4 -> 1.
    n_bases : int
        Spectral filters per kernel evaluator.
    freq_pool : int
        The evaluators and the noise estimator read spectra averaged over
        ``freq_pool`` adjacent bins and their outputs are interpolated back,
        so filter responses are smooth in frequency (a 4x saving on CPU).
    hidden : int
        Width of the evaluators' convolution stacks.
    kernel_size, n_layers : int
        Shape of the evaluators' stacks.
    estimator_hidden : int
        Width of the noise-PSD estimator.
    use_bias : bool
        Let the evaluators also produce an offset per hidden channel (before
        each ELU), turning the ELUs into data-dependent thresholds.
    reference_waveform : bool
        Feed the noise reference's waveform (not only its spectrum) to the
        first convolution step, as a second input channel (zeros in blind
        mode). Our extension: it lets reference mode learn a
        frequency-dependent regression on the reference.
    frame : int | None
        None (the paper's design): one set of filters per window, computed
        from the whole window's spectra. An int makes the filters
        time-local (our extension): the window is cut into frames of
        ``frame`` samples with a hop of ``frame // 2`` (the window's ends
        reflected by half a frame), each frame's spectra give that frame's
        filters, and the filtered frames are overlap-added under a periodic
        Hann window, which sums to one at that hop. A 0.3-s blink then sets
        the filters of the frames it falls in, not of the whole 2-s window.
        Must be even and at most ``n_times``.

    Notes
    -----
    ``forward(x, noise=None, use_reference=None)``:

    * ``x``: noisy signal ``(batch, 1, n_times)``, standardized.
    * ``noise``: a noise reference in the same units ``(batch, 1, n_times)``,
      or None for blind mode.
    * ``use_reference``: bool ``(batch,)``; where False the estimated noise
      PSD is used even though ``noise`` is given (training mixes both modes).

    Returns ``(denoised, log_psd_estimated, log_psd_reference)``, the first
    ``(batch, 1, n_times)``, the others ``(batch, 1, n_times // 2 + 1)`` (the
    last is None when ``noise`` is None). The first element is the prediction
    (skorch takes the first element of a tuple output). With ``frame`` the
    log-PSDs are per frame, ``(batch * n_frames, 1, frame // 2 + 1)``.
    """

    def __init__(self, n_times=512, *, channels=(4, 4), n_bases=16, hidden=32,
                 kernel_size=5, n_layers=3, estimator_hidden=24, freq_pool=4,
                 use_bias=False, reference_waveform=False, frame=None):
        super().__init__()
        self.n_times = int(n_times)
        self.freq_pool = int(freq_pool)
        self.reference_waveform = bool(reference_waveform)
        if frame is not None:
            frame = int(frame)
            if frame < 4 or frame % 2 or frame > self.n_times:
                raise ValueError(
                    f"frame must be None or an even number of samples in [4, "
                    f"n_times={self.n_times}], got {frame}.")
        self.frame = frame
        # The evaluators make filters as long as what they filter.
        n_filter = self.n_times if frame is None else frame
        # With reference_waveform the first step also filters the noise
        # reference (zeros in blind mode), so the network can learn a
        # frequency-dependent regression on the reference's waveform.
        chans = (2 if self.reference_waveform else 1,
                 *tuple(int(c) for c in channels), 1)
        self.evaluators = nn.ModuleList(
            KernelEvaluator(n_filter, c_in, c_out, n_bases=n_bases,
                            hidden=hidden, kernel_size=kernel_size,
                            n_layers=n_layers,
                            use_bias=use_bias and c_out != 1)
            for c_in, c_out in zip(chans[:-1], chans[1:], strict=True)
        )
        self.noise_estimator = NoisePSDEstimator(hidden=estimator_hidden)
        self.activation = nn.ELU()
        # Weight of the residual path around the applier, so that an untrained
        # network starts near the identity and training refines a correction.
        self.skip = nn.Parameter(torch.tensor(1.0))

    def _condition(self, x, noise, use_reference):
        """What the evaluators read and what the first step filters.

        Returns ``(x, spectra, log_est, log_ref, h)``: ``x`` as
        ``(batch, 1, n_times)``, the unpooled spectra ``(batch, 3, n_freqs)``
        (noise log-PSD used, noisy log-PSD, bounded ratio), the estimated and
        the reference noise log-PSD, and the input of the first step.
        """
        if x.ndim == 2:
            x = x.unsqueeze(1)
        n_freqs = x.shape[-1] // 2 + 1
        log_noisy = log_periodogram(x)
        log_est = _upsample(
            self.noise_estimator(_pool(log_noisy, self.freq_pool)), n_freqs
        )
        log_ref = None
        log_noise = log_est
        ref_wave = torch.zeros_like(x)
        if noise is not None:
            if noise.ndim == 2:
                noise = noise.unsqueeze(1)
            log_ref = log_periodogram(noise)
            if use_reference is None:
                log_noise = log_ref
                ref_wave = noise
            else:
                mask = use_reference.to(torch.bool).view(-1, 1, 1)
                log_noise = torch.where(mask, log_ref, log_est)
                ref_wave = noise * mask
        # The ratio enters as P_n / (P_n + P_y): monotone in P_n / P_y but
        # bounded, which keeps tanh stacks out of saturation.
        ratio = torch.sigmoid(log_noise - log_noisy)
        spectra = torch.cat([log_noise, log_noisy, ratio], dim=1)
        h = torch.cat([x, ref_wave], dim=1) if self.reference_waveform else x
        return x, spectra, log_est, log_ref, h

    # ------------------------------------------------------------------
    # Time-local filters: frames in, overlap-added frames out
    def _hop(self):
        return self.frame // 2

    def _to_frames(self, x):
        """``(batch, 1, n)`` -> ``(batch * n_frames, 1, frame)``."""
        if x.ndim == 2:
            x = x.unsqueeze(1)
        n, half, hop = x.shape[-1], self.frame // 2, self._hop()
        # Half a frame reflected at each end, then enough to end on a hop.
        extra = (-(n + 2 * half - self.frame)) % hop
        mode = "reflect" if n > half + extra else "replicate"
        xp = nn.functional.pad(x, (half, half + extra), mode=mode)
        frames = xp.unfold(-1, self.frame, hop)  # (batch, 1, n_frames, frame)
        return frames.reshape(-1, 1, self.frame), frames.shape[2]

    def _overlap_add(self, frames, n_batch, n_frames, n):
        """Inverse of :meth:`_to_frames` under a periodic Hann window."""
        hop, half = self._hop(), self.frame // 2
        win = torch.hann_window(self.frame, periodic=True, dtype=frames.dtype,
                                device=frames.device)
        cols = (frames.view(n_batch, n_frames, self.frame) * win).transpose(1, 2)
        length = (n_frames - 1) * hop + self.frame
        out = nn.functional.fold(cols, (1, length), (1, self.frame),
                                 stride=(1, hop))
        norm = nn.functional.fold(
            win.view(1, -1, 1).expand(1, self.frame, n_frames), (1, length),
            (1, self.frame), stride=(1, hop))
        return (out / norm.clamp_min(1e-6)).view(n_batch, 1, length)[
            ..., half:half + n]

    def _framed(self, x, noise, use_reference):
        """The inputs of the per-frame network (x, noise, use_reference)."""
        xf, n_frames = self._to_frames(x)
        nf = None if noise is None else self._to_frames(noise)[0]
        ur = (None if use_reference is None
              else use_reference.repeat_interleave(n_frames))
        return xf, nf, ur, n_frames

    def forward(self, x: torch.Tensor, noise: torch.Tensor | None = None,
                use_reference: torch.Tensor | None = None):
        """Denoise ``x``; see the class docstring for shapes."""
        if self.frame is None:
            return self._forward_window(x, noise, use_reference)
        if x.ndim == 2:
            x = x.unsqueeze(1)
        xf, nf, ur, n_frames = self._framed(x, noise, use_reference)
        denoised, log_est, log_ref = self._forward_window(xf, nf, ur)
        denoised = self._overlap_add(denoised, x.shape[0], n_frames, x.shape[-1])
        return denoised, log_est, log_ref

    def _forward_window(self, x, noise, use_reference):
        """One set of filters per input (a whole window, or one frame)."""
        x, spectra, log_est, log_ref, h = self._condition(x, noise, use_reference)
        spectra = _pool(spectra, self.freq_pool)
        for i, evaluator in enumerate(self.evaluators):
            filt, bias = evaluator(spectra)
            h = fft_conv(h, filt)
            if bias is not None:
                h = h + bias
            if i < len(self.evaluators) - 1:
                h = self.activation(h)
        # The applier estimates the artifact; the residual path keeps the
        # network near the identity at initialisation.
        denoised = self.skip * x - h
        return denoised, log_est, log_ref

    def filters(self, x: torch.Tensor, noise: torch.Tensor | None = None,
                use_reference: torch.Tensor | None = None):
        """The filters that ``forward`` would convolve ``x`` with.

        Nothing is convolved: this returns what the kernel evaluators compute
        from the spectra of ``x`` (and of ``noise``), for inspection, e.g.
        the frequency responses in
        :func:`mne_denoise.viz.plot_filter_responses`.

        Parameters
        ----------
        x : Tensor, shape (batch, 1, n_times)
            Noisy signal, standardized (as for ``forward``).
        noise : Tensor, shape (batch, 1, n_times) | None
            Noise reference, or None for blind mode (the estimated noise
            log-PSD is used).
        use_reference : Tensor, shape (batch,) | None
            As for ``forward``.

        Returns
        -------
        filters : list of Tensor
            One per convolution step, each ``(batch, c_out, c_in, n_times)``
            with the zero lag at index ``n_times // 2``; their real FFT is the
            step's frequency response at the window's resolution
            (``sfreq / n_times``). With ``frame``, one per frame:
            ``(batch * n_frames, c_out, c_in, frame)``, frames in order within
            each window. Between steps ``forward`` applies an ELU
            (and the offsets of ``use_bias``), so the whole network is not
            the product of these responses.
        spectra : Tensor, shape (batch, 3, n_times // 2 + 1)
            What the filters were computed from, before frequency pooling:
            the noise log-PSD used (reference or estimated), the noisy
            log-PSD and the bounded ratio ``P_n / (P_n + P_y)``.
        """
        if self.frame is not None:
            x, noise, use_reference, _ = self._framed(x, noise, use_reference)
        _, spectra, _, _, _ = self._condition(x, noise, use_reference)
        pooled = _pool(spectra, self.freq_pool)
        return [evaluator(pooled)[0] for evaluator in self.evaluators], spectra
