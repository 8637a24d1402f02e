# License: BSD-3-Clause
"""The glue between the estimators and skorch (torch and skorch only).

The estimators hand NumPy windows to these helpers and get NumPy windows back;
nothing here knows about MNE or scikit-learn.
"""

from __future__ import annotations

import re
import sys

import numpy as np
import torch
from scipy.signal import resample
from skorch import NeuralNetRegressor
from skorch.callbacks import GradientNormClipping, PrintLog
from skorch.dataset import Dataset as SkorchDataset
from skorch.helper import predefined_split
from skorch.hf import AccelerateMixin

from .._protocol import EPS, mix_at_snr
from .zoo.adversarial import AdversarialRegressor, Discriminator


def resolve_device(device):
    """Turn ``"auto"`` into ``"cuda"`` when available, else ``"cpu"``."""
    if device in (None, "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this "
            "machine. Use device='auto' (CUDA when present, else CPU) or 'cpu'."
        )
    return str(dev)


#: Range of the time-stretch factors of artifact augmentation (log-uniform,
#: so that stretching and compressing are equally likely).
STRETCH_RANGE = (0.8, 1.25)

#: Range of the gains of the parts of a mixed artifact (log-uniform), each
#: part first brought to unit RMS.
PART_GAIN_RANGE = (0.5, 2.0)

#: Probability that an augmented artifact is the sum of two of different kinds.
MIX_PROBABILITY = 0.3

#: SNR range in dB of the pairs drawn with ``high_snr_probability``: mildly
#: contaminated input, as most of real EEG is.
HIGH_SNR_RANGE = (5.0, 20.0)


def resolve_mix_probability(mix_probability, augment):
    """The share of mixed artifacts: as given, else 0.3 with ``augment``, else 0."""
    if mix_probability is None:
        return MIX_PROBABILITY if augment else 0.0
    return float(mix_probability)


def stretch_artifact(art, factor):
    """Time-stretch a segment by ``factor`` and crop/pad it to its length.

    Parameters
    ----------
    art : array, shape (n_times,)
        The segment.
    factor : float
        Stretch factor: > 1 slows the segment down (its frequencies scale by
        ``1 / factor``), < 1 speeds it up.

    Returns
    -------
    out : array, shape (n_times,)
        The stretched segment, cropped (``factor > 1``) or extended by
        reflection (``factor < 1``) to ``n_times``.
    """
    n = len(art)
    m = max(int(round(n * factor)), 2)
    # FFT resampling is band-limited (no aliasing when compressing) but
    # periodic: resampling the even extension, which has no jump at its wrap
    # point, keeps the edges free of ringing.
    ext = np.concatenate([art, art[::-1]])
    out = resample(ext, 2 * m)[:m]
    if m >= n:
        return out[:n]
    return np.pad(out, (0, n - m), mode="symmetric")


def shift_artifact(art, shift):
    """Shift a segment by ``shift`` samples, refilling it by reflection.

    A reflection rather than a circular shift: the wrap point of a circular
    shift would put a step into the artifact that the recordings never show.

    Parameters
    ----------
    art : array, shape (n_times,)
        The segment.
    shift : int
        Samples to delay (> 0) or advance (< 0) it by, ``|shift| <= n_times``.

    Returns
    -------
    out : array, shape (n_times,)
        The shifted segment.
    """
    n = len(art)
    if shift > 0:
        return np.pad(art, (shift, 0), mode="symmetric")[:n]
    if shift < 0:
        return np.pad(art, (0, -shift), mode="symmetric")[-shift:]
    return art.copy()


def seed_torch(seed):
    """Seed torch's global generators (weights init, shuffling, dropout)."""
    torch.manual_seed(int(seed))


class SemiSyntheticDataset(torch.utils.data.Dataset):
    """Clean + artifact pairs mixed at a random SNR, drawn afresh each epoch.

    Item ``i`` uses clean segment ``i % n_clean`` and a random artifact kind,
    a random artifact segment of that kind and an SNR uniform in
    ``snr_range``; the mixing and standardization are
    :func:`mne_denoise._protocol.mix_at_snr`. With ``fixed=True`` the draws
    are made once (validation sets).

    Parameters
    ----------
    clean : array, shape (n_clean, n_times)
        Demeaned clean segments.
    artifacts : list of array, shape (n_k, n_times)
        Demeaned artifact segments, one array per artifact kind.
    snr_range : tuple of float
        SNR range in dB.
    n_items : int | None
        Items per epoch (default ``n_clean``).
    reference_probability : float
        Probability that an item tells the network to use the exact noise
        spectrum (reference mode) rather than its own estimate (blind mode).
    random_state : int
        Seed of the draws.
    fixed : bool
        Draw once and return the same pairs every epoch.
    with_reference : bool
        Whether items carry ``noise`` and ``use_reference`` for networks
        whose ``forward`` takes a noise reference; otherwise items are
        ``({"x": noisy}, clean)``.
    clean_probability : float
        Probability that an item has no artifact at all (the input is the
        standardized clean segment, the target the same segment, the noise
        zero), so that the network learns to leave clean EEG alone.
    augment : bool
        Augment every drawn artifact, from the dataset's own generator: a
        time stretch by a factor log-uniform in :data:`STRETCH_RANGE`
        (:func:`stretch_artifact`), a reflected time shift of up to half a
        segment (:func:`shift_artifact`), a polarity flip (probability 0.5),
        and, with probability :data:`MIX_PROBABILITY` (when there are at
        least two kinds), the sum with an artifact of another kind, each part
        augmented on its own, brought to unit RMS and scaled by a gain
        log-uniform in :data:`PART_GAIN_RANGE` (the overall amplitude of a
        single artifact is set by the SNR scaling, so only a sum's parts are
        scaled). False (default) uses the segments as they are.
    high_snr_probability : float
        Probability, in [0, 1], that a contaminated pair is drawn at an SNR
        uniform in :data:`HIGH_SNR_RANGE` (5-20 dB, mildly contaminated
        input) rather than in ``snr_range``; 0 (default) draws every SNR in
        ``snr_range``.
    mix_probability : float | None
        Probability, in [0, 1], that a drawn artifact is the sum of two of
        different kinds (parts at unit RMS, gains as above). None (default):
        :data:`MIX_PROBABILITY` with ``augment``, else 0. Set with
        ``augment=False``, the parts are the segments as they are (mixtures
        without the stretch, shift and polarity flip).
    """

    def __init__(self, clean, artifacts, snr_range, *, n_items=None,
                 reference_probability=0.5, random_state=0, fixed=False,
                 with_reference=True, clean_probability=0.0, augment=False,
                 high_snr_probability=0.0, mix_probability=None):
        self.clean = np.asarray(clean, dtype=np.float64)
        self.artifacts = [np.asarray(a, dtype=np.float64) for a in artifacts]
        if not self.artifacts or any(len(a) == 0 for a in self.artifacts):
            raise ValueError("Every artifact pool must hold at least one segment.")
        if len(self.clean) == 0:
            raise ValueError("The clean pool is empty.")
        self.snr_range = tuple(float(s) for s in snr_range)
        self.n_items = int(n_items) if n_items is not None else len(self.clean)
        self.reference_probability = float(reference_probability)
        self.with_reference = bool(with_reference)
        self.clean_probability = float(clean_probability)
        if not 0.0 <= self.clean_probability < 1.0:
            raise ValueError("clean_probability must be in [0, 1), got "
                             f"{clean_probability}.")
        self.augment = bool(augment)
        self.high_snr_probability = float(high_snr_probability)
        if not 0.0 <= self.high_snr_probability <= 1.0:
            raise ValueError("high_snr_probability must be in [0, 1], got "
                             f"{high_snr_probability}.")
        self.mix_probability = resolve_mix_probability(mix_probability, self.augment)
        if not 0.0 <= self.mix_probability <= 1.0:
            raise ValueError("mix_probability must be in [0, 1], got "
                             f"{mix_probability}.")
        self.rng = np.random.default_rng(random_state)
        self._fixed = None
        if fixed:
            self._fixed = [self._draw(i) for i in range(self.n_items)]

    def __len__(self):
        return self.n_items

    def _draw(self, i):
        rng = self.rng
        clean = self.clean[i % len(self.clean)]
        kind = rng.integers(len(self.artifacts))
        pool = self.artifacts[kind]
        art = pool[rng.integers(len(pool))]
        snr = rng.uniform(*self.snr_range)
        # The options draw from the generator only when set, so that the
        # defaults draw exactly the pairs drawn before the options existed.
        if self.high_snr_probability and rng.random() < self.high_snr_probability:
            snr = rng.uniform(*HIGH_SNR_RANGE)
        if self.augment or self.mix_probability:
            art = self._augmented(art, kind)
        if self.clean_probability and rng.random() < self.clean_probability:
            # No artifact: standardized as the protocol does, by the input's std.
            noisy = clean / (clean.std() + 1e-12)
            clean, art = noisy, np.zeros_like(noisy)
        else:
            noisy, clean, art, _ = mix_at_snr(clean, art, snr)
        use_ref = rng.random() < self.reference_probability
        x = {"x": torch.from_numpy(noisy[None].astype(np.float32))}
        if self.with_reference:
            x["noise"] = torch.from_numpy(art[None].astype(np.float32))
            x["use_reference"] = torch.tensor(use_ref)
        return x, torch.from_numpy(clean[None].astype(np.float32))

    def _transformed(self, art):
        """Stretch, shift and polarity flip of one artifact segment."""
        rng = self.rng
        n = len(art)
        lo, hi = np.log(STRETCH_RANGE)
        art = stretch_artifact(art, float(np.exp(rng.uniform(lo, hi))))
        art = shift_artifact(art, int(rng.integers(-(n // 2), n // 2 + 1)))
        if rng.random() < 0.5:
            art = -art
        # Demeaned again: cropping, reflecting and stretching move the mean.
        return art - art.mean()

    def _augmented(self, art, kind):
        rng = self.rng
        transform = self._transformed if self.augment else (lambda a: a)
        art = transform(art)
        if len(self.artifacts) < 2 or rng.random() >= self.mix_probability:
            return art
        other = rng.choice([k for k in range(len(self.artifacts)) if k != kind])
        pool = self.artifacts[other]
        second = transform(pool[rng.integers(len(pool))])
        lo, hi = np.log(PART_GAIN_RANGE)
        parts = [a / (np.sqrt(np.mean(a ** 2)) + EPS)
                 * float(np.exp(rng.uniform(lo, hi))) for a in (art, second)]
        return parts[0] + parts[1]

    def __getitem__(self, i):
        if self._fixed is not None:
            return self._fixed[i]
        return self._draw(i)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class TerminalPrintLog(PrintLog):
    """skorch's epoch table, coloured only when it goes to a terminal.

    skorch colours the best values with ANSI codes; written to a file or a
    pipe (a cluster job's log), those codes are noise, so they are dropped
    when ``sys.stdout`` is not a TTY.
    """

    def table(self, row):
        text = super().table(row)
        isatty = getattr(sys.stdout, "isatty", None)
        return text if isatty is not None and isatty() else _ANSI.sub("", text)


class AcceleratedRegressor(AccelerateMixin, NeuralNetRegressor):
    """:class:`skorch.NeuralNetRegressor` trained through Hugging Face accelerate.

    skorch's :class:`~skorch.hf.AccelerateMixin` (importing it does not import
    ``accelerate``; the ``accelerator`` argument brings it).
    """


def make_regressor(module, module_params, *, criterion, lr, batch_size,
                   max_epochs, device, valid_dataset=None, verbose=0,
                   optimizer=torch.optim.Adamax, callbacks=None,
                   adversarial_weight=None, discriminator=Discriminator,
                   discriminator_params=None, accelerator=None):
    """Build (not fit) the skorch regressor that trains ``module``.

    ``module_params`` are routed as ``module__<name>`` (and
    ``discriminator_params`` as ``discriminator__<name>``) so that a grid
    search over them works as it does for any skorch net. With an
    ``adversarial_weight`` the regressor is an :class:`AdversarialRegressor`
    that trains ``module`` against a ``discriminator``; otherwise a
    :class:`skorch.NeuralNetRegressor`. Gradients are clipped to a norm of 1.
    With an ``accelerator`` (an ``accelerate.Accelerator``) training goes
    through skorch's :class:`~skorch.hf.AccelerateMixin`: the accelerator
    places the module and the data (``device`` is ignored), so the same code
    runs on one CPU or under ``accelerate launch`` on several GPUs.
    """
    kwargs = {f"module__{k}": v for k, v in dict(module_params).items()}
    regressor = NeuralNetRegressor
    if accelerator is not None:
        if adversarial_weight is not None:
            raise ValueError(
                "Adversarial training does not run through accelerate; pass "
                "accelerator=None or train without the discriminator.")
        regressor = AcceleratedRegressor
        kwargs["accelerator"] = accelerator
        # The accelerator's print (once, on the main process) prints whatever
        # the verbosity: quiet training keeps Python's print, which obeys it.
        kwargs["callbacks__print_log__sink"] = "auto" if verbose else print
        device = None  # the accelerator decides
    if adversarial_weight is not None:
        regressor = AdversarialRegressor
        kwargs.update(discriminator=discriminator,
                      adversarial_weight=adversarial_weight)
        kwargs.update({f"discriminator__{k}": v
                       for k, v in dict(discriminator_params or {}).items()})
    cbs = [("clip", GradientNormClipping(gradient_clip_value=1.0))]
    cbs += list(callbacks or [])
    return regressor(
        module=module,
        criterion=criterion,
        optimizer=optimizer,
        lr=lr,
        batch_size=batch_size,
        max_epochs=max_epochs,
        device=device,
        train_split=(predefined_split(valid_dataset)
                     if valid_dataset is not None else None),
        iterator_train__shuffle=True,
        dataset=SkorchDataset,
        callbacks=cbs,
        callbacks__print_log=TerminalPrintLog(),
        verbose=verbose,
        **kwargs,
    )


#: Windows per forward pass at inference. Small, so that one 64-channel
#: 2-s epoch (64 windows) costs one pass, not a pass padded to hundreds of
#: windows; fixed, so that a window's output never depends on how many
#: windows came with it (float32 kernels pick algorithms by batch size).
INFERENCE_BATCH = 64


@torch.inference_mode()
def predict_windows(module, x, noise=None, *, batch_size=INFERENCE_BATCH,
                    device="cpu", output=0):
    """Run a denoising module on standardized windows.

    Parameters
    ----------
    module : torch.nn.Module
        Returns the denoised windows (or a tuple whose first element is).
    x : array, shape (n_windows, n_times)
        Standardized noisy windows.
    noise : array, shape (n_windows, n_times) | None
        Noise references in the same units (reference mode), or None.
    batch_size : int
        Windows per forward pass. The last batch is zero-padded to this size,
        so that every window goes through the same kernels whatever the
        number of windows: a window's output does not depend on what it was
        batched with (float32 kernels pick algorithms by batch size). Every
        call costs a whole number of batches, hence a small default.
    device : str
        Torch device.
    output : int
        Which element of a tuple output to return (modules returning a
        tensor ignore it); for instance 1, the stages of
        :class:`~mne_denoise.nn.low_rank_unfolded.LowRankUnfoldedNet`.

    Returns
    -------
    out : array, shape (n_windows, n_times) | (n_windows, ...)
        Float64. The denoised windows (``output=0``: the module's
        ``(batch, 1, n_times)`` without its channel axis); another output
        whole, e.g. ``(n_windows, n_stages, n_times)``.
    """
    module.eval()
    n = len(x)
    out = None
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        xb = _padded(x[start:stop], batch_size, device)
        kw = {}
        if noise is not None:
            kw["noise"] = _padded(noise[start:stop], batch_size, device)
        y = module(xb, **kw)
        if isinstance(y, tuple | list):
            y = y[output]
        y = y[: stop - start]
        if output == 0:
            y = y[:, 0]  # (batch, 1, n_times): the denoised windows
        if out is None:
            out = np.empty((n,) + tuple(y.shape[1:]), dtype=np.float64)
        out[start:stop] = y.double().cpu().numpy()
    if out is None:  # no window: the shape of a single-channel output
        out = np.empty(x.shape, dtype=np.float64)
    return out


def _padded(a, size, device):
    t = torch.zeros((size, 1, a.shape[-1]), dtype=torch.float32, device=device)
    t[: len(a), 0] = torch.as_tensor(a, dtype=torch.float32, device=device)
    return t


def train_network(module, module_params, criterion, clean, artifacts, *,
                  snr_range, lr, batch_size, max_epochs, device, seed,
                  clean_valid=None, artifacts_valid=None, init_state=None,
                  n_items=None, verbose=0, callbacks=None, with_reference=True,
                  clean_probability=0.0, adversarial_weight=None,
                  discriminator=Discriminator, discriminator_params=None,
                  augment=False, high_snr_probability=0.0, mix_probability=None,
                  accelerator=None):
    """Train ``module`` on semi-synthetic pairs and return the skorch net.

    The package's one training loop: the estimators' ``fit``, the zoo's
    adversarial training and the commands that train the shipped weights all
    go through it.

    Parameters
    ----------
    module : type of torch.nn.Module
        The network class.
    module_params : dict
        Its arguments (``n_times`` included).
    criterion : type of torch.nn.Module
        The loss class.
    clean : array, shape (n_clean, n_times)
        Clean training segments.
    artifacts : list of array
        Artifact training segments, one array per kind.
    snr_range : tuple of float
        Training SNR range in dB (drawn afresh each epoch).
    lr, batch_size, max_epochs : float, int, int
        Optimisation settings (AdaMax).
    device : str
        Torch device.
    seed : int
        Seed of the training draws (torch must be seeded by the caller).
    clean_valid, artifacts_valid : array, list of array | None
        Validation pools (fixed draws, blind mode); None for no validation.
    init_state : dict | None
        A state dict to start from (fine-tuning).
    n_items : int | None
        Pairs per epoch (default: one per clean segment).
    verbose : int
        skorch's verbosity (1 prints the epoch table).
    callbacks : list | None
        Extra skorch callbacks.
    with_reference : bool
        Whether the module's ``forward`` takes ``noise`` and
        ``use_reference`` (see :class:`SemiSyntheticDataset`).
    clean_probability : float
        Share of artifact-free pairs, in training and validation (see
        :class:`SemiSyntheticDataset`).
    adversarial_weight : float | None
        None (default) for plain training; else train against a
        discriminator, with this weight on the adversarial term of the
        network's loss (see :class:`~mne_denoise.nn.zoo.AdversarialRegressor`).
    discriminator : type of torch.nn.Module
        The discriminator class (adversarial training only).
    discriminator_params : dict | None
        Its arguments; ``n_times`` defaults to the network's.
    augment : bool
        Augment the training artifacts (stretch, shift, polarity, mixtures of
        two kinds; see :class:`SemiSyntheticDataset`). The validation pairs
        are never augmented, so that validation losses stay comparable.
    high_snr_probability : float
        Share of training and validation pairs drawn at 5-20 dB rather than
        in ``snr_range`` (see :class:`SemiSyntheticDataset`).
    mix_probability : float | None
        Share of training artifacts that are the sum of two kinds (see
        :class:`SemiSyntheticDataset`; None: 0.3 with ``augment``, else 0).
        Validation pairs are never mixtures.
    accelerator : accelerate.Accelerator | None
        Train through Hugging Face ``accelerate`` (see :func:`make_regressor`);
        the trained module is unwrapped and left on ``accelerator.device``.

    Returns
    -------
    net : skorch.NeuralNetRegressor
        The trained net (an :class:`~mne_denoise.nn.zoo.AdversarialRegressor`
        with ``adversarial_weight``); ``net.module_`` is the network.
    """
    train = SemiSyntheticDataset(
        clean, artifacts, snr_range, random_state=seed,
        n_items=max(n_items or len(clean), batch_size),
        with_reference=with_reference, clean_probability=clean_probability,
        augment=augment, high_snr_probability=high_snr_probability,
        mix_probability=mix_probability,
    )
    valid = None
    if clean_valid is not None and len(clean_valid):
        valid = SemiSyntheticDataset(
            clean_valid, artifacts_valid or artifacts, snr_range,
            random_state=seed + 1, fixed=True, reference_probability=0.0,
            with_reference=with_reference, clean_probability=clean_probability,
            high_snr_probability=high_snr_probability,
        )
    if adversarial_weight is not None:
        discriminator_params = {
            "n_times": module_params.get("n_times", clean.shape[-1]),
            **(discriminator_params or {})}
    net = make_regressor(
        module, module_params, criterion=criterion, lr=lr,
        batch_size=batch_size, max_epochs=max_epochs, device=device,
        valid_dataset=valid, verbose=verbose, callbacks=callbacks,
        adversarial_weight=adversarial_weight, discriminator=discriminator,
        discriminator_params=discriminator_params, accelerator=accelerator,
    )
    net.initialize()
    if init_state is not None:
        net.module_.load_state_dict(init_state)
    if max_epochs > 0:
        # partial_fit keeps the weights loaded above (fit would re-initialize).
        net.partial_fit(train, None)
    return net
