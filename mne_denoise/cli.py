# License: BSD-3-Clause
"""The ``mne-denoise`` command line: demo, clean, fetch, train, benchmark...

Subcommands: demo, clean, stream, fetch, train, benchmark, decoding and
multichannel.
"""

import argparse
import json
import sys
from pathlib import Path


class _FORMATTER(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows every default, unless the help text already says it.

    (None and False defaults, and flags, have nothing to show.)
    """

    def _get_help_string(self, action):
        text = action.help or ""
        if (any(action.default is v for v in (None, False, argparse.SUPPRESS))
                or isinstance(action, argparse._StoreConstAction)
                or "default" in text.lower()):
            return text
        return super()._get_help_string(action)


class _ExpectedError(Exception):
    """A failure the user can fix: one line on stderr, exit status 2."""


def _add_common(p):
    """--device, --threads and --seed: every command that trains or evaluates."""
    p.add_argument("--device", default="auto",
                   help="Torch device: 'auto' (CUDA when present), 'cpu' or "
                   "'cuda'.")
    p.add_argument("--threads", type=int, default=None,
                   help="Torch CPU threads (default: torch's choice).")
    p.add_argument("--seed", type=int, default=0, help="Random seed.")


def _subparser(sub, name, help_):
    """A subcommand whose --help starts with its description, defaults shown."""
    return sub.add_parser(name, help=help_, description=help_,
                          formatter_class=_FORMATTER)


def _add_report(p, out, quick_help,
                out_help="Folder for the JSON and markdown results."):
    """--out, --data and --quick of the commands that write results."""
    p.add_argument("--out", default=out, help=out_help)
    _add_data(p)
    p.add_argument("--quick", action="store_true", help=quick_help)


def _add_data(p):
    """--data: the folder of the shared recordings."""
    p.add_argument("--data", default=None,
                   help="Folder of the shared recordings (default: "
                   "$MNE_DENOISE_SHARED or ../shared/data; what they lack "
                   "comes from the download folder, downloaded on first use, "
                   "see 'mne-denoise fetch').")


def _build_parser():
    # The shipped models' specs live with their training (one home).
    from .studies.decoding import SCENARIOS as decoding_scenarios
    from .studies.train import MODELS as train_models

    parser = argparse.ArgumentParser(
        prog="mne-denoise",
        description="Deep-learning removal of EOG/EMG artifacts from EEG.",
        formatter_class=_FORMATTER,
    )
    parser.add_argument("--version", action="store_true", help="Print the version.")
    parser.add_argument("--traceback", action="store_true",
                        help="Show the full traceback of an expected error "
                        "(missing data, existing outputs...) instead of one "
                        "line.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _subparser(
        sub, "demo", "Denoise a bundled simulated example with the pretrained "
        "model, print before/after metrics and write a figure.")
    p.add_argument("--out", default="mne_denoise_demo",
                   help="Folder for the figure (created if needed).")
    p.add_argument("--no-figure", action="store_true", help="Skip the figure.")
    _add_common(p)

    _add_clean(sub)

    p = _subparser(
        sub, "fetch", "Download the public recordings that train, benchmark "
        "and decoding use (pinned hashes; EEGMMIDB through "
        "mne.datasets.eegbci) into the download folder. Data sets the shared "
        "folder holds are not downloaded by the other commands.")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="Data sets to download (default: every one that can "
                   "be downloaded).")
    p.add_argument("--path", default=None,
                   help="Download folder (default: $MNE_DENOISE_DATA, else "
                   "<MNE_DATA>/mne_denoise, else ~/mne_data/mne_denoise).")
    _add_stream(sub)

    p = _subparser(
        sub, "train", "Train a shipped model on the shared recordings and "
        "write its weights and model card.")
    p.add_argument("model", choices=list(train_models),
                   help="Which model.")
    _add_report(p, None, "Tiny budget, to check that the command runs.",
                out_help="Output folder (default: ./mne_denoise_weights). The "
                "installed package's weights are never replaced unless "
                "--into-package is given.")
    p.add_argument("--into-package", action="store_true",
                   help="Write into the installed package's weights folder, "
                   "replacing the shipped weights (the maintainers' release "
                   "step); excludes --out.")
    p.add_argument("--max-epochs", type=int, default=40,
                   help="Training epochs (the best validation epoch is kept).")
    p.add_argument("--batch-size", type=int, default=64,
                   help="Training pairs per optimizer step.")
    p.add_argument("--lr", type=float, default=2e-3,
                   help="Initial learning rate (AdaMax, cosine-annealed).")
    p.add_argument("--pairs-per-epoch", type=int, default=None,
                   help="Semi-synthetic pairs per epoch (default: one per clean "
                   "training segment).")
    p.add_argument("--clean-probability", type=float, default=0.0,
                   help="Share of artifact-free training pairs (input = "
                   "target), to teach the network to leave clean EEG alone "
                   "(the shipped weights use 0; see the decoding study).")
    p.add_argument("--augment", action="store_true",
                   help="Augment the training artifacts (time stretch, "
                   "reflected shift, polarity flip, EOG + EMG mixtures).")
    p.add_argument("--high-snr-probability", type=float, default=0.0,
                   help="Share of training pairs mixed at 5-20 dB (mildly "
                   "contaminated input) rather than in the training SNR range.")
    p.add_argument("--mix-probability", type=float, default=None,
                   help="Share of training artifacts that are an EOG + EMG "
                   "mixture (default: 0.3 with --augment, else 0; without "
                   "--augment the parts are not stretched, shifted or flipped).")
    p.add_argument("--init-weights", default=None,
                   help="Start from these weights: 'pretrained' (the shipped "
                   "ones) or a .pt file this command wrote (fine-tuning).")
    p.add_argument("--module-params", default=None, type=json.loads,
                   help='Network arguments as JSON, e.g. \'{"channels": [8, 8]}\'.')
    p.add_argument("--max-seconds", type=float, default=None,
                   help="Stop training before an epoch would end past this many "
                   "seconds.")
    p.add_argument("--max-test-segments", type=int, default=None,
                   help="Clean test segments evaluated for the model card "
                   "(seeded subset; default all).")
    _add_common(p)

    p = _subparser(
        sub, "benchmark", "Evaluate denoisers on the held-out test pools and "
        "print/save RRMSE_t, RRMSE_s, CC per artifact and SNR.")
    _add_report(p, "benchmark_results",
                "Few test segments and an 8-s training budget per model, to "
                "check that the command runs (minutes).")
    p.add_argument("--max-segments", type=int, default=None,
                   help="Test segments per artifact type (default: all).")
    p.add_argument("--low-rank-solver", action="store_true",
                   help="Also run the classical LowRankDenoiser (about 0.1 s per "
                   "window on CPU: use with --max-segments).")
    p.add_argument("--zoo-budget-s", type=float, default=None,
                   help="Training seconds per model for every model-zoo "
                   "network and for FreqDomain/LowRankUnfolded trained from "
                   "scratch (default 300, 8 with --quick; 0 leaves them out).")
    _add_common(p)

    p = _subparser(
        sub, "gate-sites", "Score every benchmark method on the unseen "
        "EEGMMIDB subjects' real clean EEG per electrode site group "
        "(frontal, temporal, central, parietal/occipital): where the deep "
        "denoisers' gate opens on EEG that holds no simulated artifact.")
    p.add_argument("--out", default="benchmark_results",
                   help="Folder for gate_sites.json and gate_sites.md.")
    _add_data(p)
    p.add_argument("--max-segments", type=int, default=None,
                   help="Tested windows (seeded subsample; default all of the "
                   "tested half).")
    p.add_argument("--iclabel", action="store_true",
                   help="Clean each run with ICA + ICLabel first (eye and "
                   "muscle components removed); writes gate_sites_iclabel.")
    _add_common(p)

    p = _subparser(
        sub, "speed", "Time transform of the shipped denoisers side by side "
        "on random 64-channel 2-s epochs: latency of one epoch and "
        "throughput, at each thread count, with the default memory "
        "allocator and after mne_denoise.utils.reuse_freed_memory().")
    p.add_argument("--out", default="benchmark_results",
                   help="Folder for speed.json and speed.md.")
    p.add_argument("--thread-counts", type=int, nargs="+", default=[1, 2],
                   help="Torch CPU thread counts to time each method at.")
    p.add_argument("--repeats", type=int, default=20,
                   help="Timed one-epoch calls per method (the median is "
                   "the latency).")
    p.add_argument("--seed", type=int, default=0, help="Random seed.")

    p = _subparser(
        sub, "decoding", "Cross-validate CSP + LDA on EEGMMIDB motor imagery "
        "with and without each denoiser, on clean and contaminated data.")
    _add_report(p, "decoding_results",
                "One data set, to check that the command runs.")
    p.add_argument("--snr", type=float, default=-5.0,
                   help="SNR of the added artifacts, dB (10*log10 RMS ratio).")
    p.add_argument("--n-jobs", type=int, default=1,
                   help="Data sets decoded in parallel processes (-1: one per "
                   "CPU core); the results do not depend on it.")
    p.add_argument("--merge", nargs="+", default=None, metavar="REPORT",
                   help="Run nothing: merge these decoding.json files (or their "
                   "folders), from runs that split the study by data set or "
                   "scenario with the same --seed and --snr, into --out; "
                   "--scenarios and --methods then keep only those rows.")
    p.add_argument("--scenarios", nargs="+", default=None,
                   choices=decoding_scenarios, metavar="SCENARIO",
                   help="Scenarios to run, of: " + ", ".join(decoding_scenarios)
                   + " (default: all).")
    p.add_argument("--methods", nargs="+", default=None, metavar="METHOD",
                   help="Denoisers to run (with 'none', always run), by their "
                   "row names in the report, e.g. 'EOGRegression' "
                   "'FreqDomain (reference)'. Default: all.")
    _add_common(p)

    p = _subparser(
        sub, "multichannel", "Benchmark the multichannel denoisers (SpatialDenoiser, "
        "ICA + ICLabel, EOGRegression...) on held-out EEGMMIDB subjects at "
        "8-64 channels, then check them on real recordings (EEGLAB blinks, "
        "OpenBCI blinks and jaw clenches).")
    _add_report(p, "multichannel_results",
                "Few epochs per subject and montage, to check that the command "
                "runs.")
    p.add_argument("--weights", default=None,
                   help="SpatialDenoiser weights file (default: the shipped ones).")
    p.add_argument("--n-epochs", type=int, default=30,
                   help="Epochs per test subject, montage and artifact kind.")
    p.add_argument("--skip-benchmark", action="store_true",
                   help="Only the real-recording checks.")
    _add_common(p)
    return parser


def _add_clean(sub):
    from .clean import METHODS

    p = _subparser(
        sub, "clean", "Denoise your recordings: files of any format MNE reads, "
        "folders of them, or a BIDS root (written as a BIDS derivative). "
        "Writes one cleaned FIF and one HTML report per recording.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="Recording files, folders (searched recursively) or one "
                   "BIDS root.")
    p.add_argument("--out", default=None,
                   help="Output folder (required for files and folders; for a "
                   "BIDS root, default <root>/derivatives/mne-denoise).")
    p.add_argument("--method", default="freq_domain",
                   help="Denoiser: one of " + ", ".join(METHODS) + ", or the "
                   "path of a denoiser saved with den.save('file.pt') (applied "
                   "as saved).")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--reference", dest="mode", action="store_const",
                      const="reference", help="Use the EOG/EMG channels as noise "
                      "references (an error when there are none).")
    mode.add_argument("--blind", dest="mode", action="store_const",
                      const="blind", help="Ignore the EOG/EMG channels (blind "
                      "mode; an error for the methods that need or always read "
                      "them: regression, frequency_regression, spatial, ica).")
    p.set_defaults(mode="auto")
    p.add_argument("--weights", default=None,
                   help="Weights file of a deep method, as 'mne-denoise train' "
                   "writes (default: the shipped weights).")
    p.add_argument("--picks", default=None, nargs="+",
                   help="Channels to clean, by name or type (MNE's picks); the "
                   "others are copied unchanged (default: every EEG channel).")
    p.add_argument("--n-jobs", type=int, default=1,
                   help="Recordings cleaned in parallel (joblib; -1: one per "
                   "CPU core).")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Address of a Dask scheduler (e.g. tcp://host:8786): "
                   "clean the recordings on its workers.")
    p.add_argument("--overwrite", action="store_true",
                   help="Replace existing outputs (otherwise they are an "
                   "error, before anything is cleaned).")
    p.add_argument("--no-report", action="store_true",
                   help="Skip the HTML reports.")
    _add_common(p)


def _add_stream(sub):
    from .clean import METHODS

    p = _subparser(
        sub, "stream", "Clean a live LSL stream (MNE-LSL): read it, clean it "
        "online and push the cleaned stream to a new LSL outlet, until the "
        "input stops or Ctrl-C. Needs pip install 'mne-denoise[lsl]'.")
    p.add_argument("name", help="Name of the LSL stream to clean.")
    p.add_argument("--out-name", default=None,
                   help="Name of the cleaned outlet (default: NAME-clean).")
    p.add_argument("--method", default="freq_domain",
                   help="Denoiser: one of " + ", ".join(METHODS) + " (fitted "
                   "on the first --calibration seconds of the stream), or the "
                   "path of a denoiser saved with den.save('file.pt'), fitted "
                   "on the stream's channels.")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--reference", dest="mode", action="store_const",
                      const="reference", help="Use the EOG/EMG channels as noise "
                      "references.")
    mode.add_argument("--blind", dest="mode", action="store_const",
                      const="blind", help="Ignore the EOG/EMG channels.")
    p.set_defaults(mode="auto")
    p.add_argument("--weights", default=None,
                   help="Weights file of a deep method (default: the shipped "
                   "weights).")
    p.add_argument("--calibration", type=float, default=20.0,
                   help="Seconds of stream to fit the denoiser on (not cleaned).")
    p.add_argument("--duration", type=float, default=None,
                   help="Stop after this many seconds of cleaned stream "
                   "(default: until the input stops).")
    p.add_argument("--timeout", type=float, default=5.0,
                   help="Seconds without a sample after which the input counts "
                   "as stopped.")
    _add_common(p)


def _one_line(err):
    text = " ".join(str(err).split())
    return text or type(err).__name__


def _print_written(paths):
    """Every command ends by naming the files it wrote."""
    for path in paths:
        print(f"Wrote {path}")


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(__version__)
        return 0
    if args.command is None:
        parser.print_help()
        return 1
    from .clean._discover import CleanInputError

    # Failures a user can fix (missing data, existing outputs, a bad value):
    # one line and exit status 2, as argparse reports a bad option.
    expected = (OSError, ValueError, CleanInputError, ImportError, _ExpectedError)
    try:
        _run(args)
    except expected as err:
        if args.traceback:
            raise
        print(f"mne-denoise {args.command}: error: {_one_line(err)}",
              file=sys.stderr)
        return 2
    return 0


def _run(args):
    """Dispatch a parsed command line to the library or the studies."""
    threads = getattr(args, "threads", None)
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    if args.command == "clean":
        from .clean import clean_recordings

        written = clean_recordings(
            args.inputs, out=args.out, method=args.method, mode=args.mode,
            weights=args.weights, picks=args.picks, n_jobs=args.n_jobs,
            scheduler=args.scheduler, report=not args.no_report,
            overwrite=args.overwrite, device=args.device, threads=threads,
            random_state=args.seed, progress=True)
        _print_written(written)
    elif args.command == "stream":
        from .clean import make_denoiser
        from .online import clean_lsl_stream

        den = make_denoiser(args.method, mode=args.mode, weights=args.weights,
                            device=args.device, random_state=args.seed)
        online = clean_lsl_stream(den, args.name, out_name=args.out_name,
                                  duration=args.duration,
                                  calibration=args.calibration,
                                  timeout=args.timeout, verbose=True)
        print(f"Cleaned {online.n_returned} samples of {args.name!r} "
              f"(latency {online.latency:.3f} s)")
    elif args.command == "fetch":
        from .datasets import fetch_datasets

        folders = fetch_datasets(args.names or None, path=args.path)
        for name, folder in folders.items():
            print(f"{name}: {folder}")
    elif args.command == "demo":
        from .studies.demo import run_demo

        run_demo(out=args.out, figure=not args.no_figure, device=args.device,
                 random_state=args.seed)
    elif args.command == "train":
        from .studies.train import train_model

        weights = train_model(
            args.model, out=args.out, max_epochs=args.max_epochs,
            batch_size=args.batch_size, lr=args.lr,
            pairs_per_epoch=args.pairs_per_epoch,
            clean_probability=args.clean_probability,
            max_seconds=args.max_seconds,
            max_test_segments=args.max_test_segments, data=args.data,
            quick=args.quick, module_params=args.module_params,
            device=args.device, random_state=args.seed,
            augment=args.augment,
            high_snr_probability=args.high_snr_probability,
            mix_probability=args.mix_probability,
            init_weights=args.init_weights,
            into_package=args.into_package)
        if weights is not None:  # None from a stand-in train_model (tests)
            _print_written([weights, weights.with_suffix(".md")])
    elif args.command == "benchmark":
        from .studies.benchmark import run_benchmark

        report = run_benchmark(out=args.out, data=args.data, quick=args.quick,
                      max_segments=args.max_segments, device=args.device,
                      random_state=args.seed,
                      low_rank_solver=args.low_rank_solver,
                      zoo_budget_s=args.zoo_budget_s)
        out = Path(args.out)
        _print_written([out / "benchmark.json", out / "benchmark.md"]
                       + ([report["figure"]] if report.get("figure") else []))
    elif args.command == "gate-sites":
        from .studies.gate_sites import run_gate_sites

        run_gate_sites(out=args.out, data=args.data,
                       max_segments=args.max_segments, device=args.device,
                       random_state=args.seed, iclabel=args.iclabel)
        name = "gate_sites_iclabel" if args.iclabel else "gate_sites"
        out = Path(args.out)
        _print_written([out / f"{name}.json", out / f"{name}.md"])
    elif args.command == "speed":
        from .studies.speed import run_speed

        run_speed(out=args.out, threads=tuple(args.thread_counts),
                  repeats=args.repeats, random_state=args.seed)
        out = Path(args.out)
        _print_written([out / "speed.json", out / "speed.md"])
    elif args.command == "decoding":
        from .studies.decoding import (
            SCENARIOS,
            merge_decoding_reports,
            run_decoding_study,
        )

        if args.merge:
            ignored = [flag for flag, used in (("--n-jobs", args.n_jobs != 1),
                                               ("--quick", args.quick))
                       if used]
            if ignored:
                raise SystemExit(
                    f"mne-denoise decoding: --merge runs nothing, so "
                    f"{' and '.join(ignored)} would have no effect; drop "
                    f"{'them' if len(ignored) > 1 else 'it'}.")
            merge_decoding_reports(args.merge, out=args.out,
                                   scenarios=args.scenarios,
                                   methods=args.methods)
        else:
            run_decoding_study(
                out=args.out, data=args.data, snr=args.snr,
                random_state=args.seed,
                methods=_decoding_methods(args.device, args.methods),
                n_jobs=args.n_jobs,
                scenarios=args.scenarios or list(SCENARIOS),
                datasets=[(1, (6, 10, 14))] if args.quick else None)
        out = Path(args.out)
        _print_written([out / "decoding.json", out / "decoding.md"])
    elif args.command == "multichannel":
        from .studies.multichannel import (
            real_recording_checks,
            run_multichannel_benchmark,
        )

        out = Path(args.out)
        written = []
        if not args.skip_benchmark:
            run_multichannel_benchmark(
                out=out, weights=args.weights, data=args.data,
                device=args.device, n_epochs=args.n_epochs, quick=args.quick,
                random_state=args.seed)
            written += [out / "multichannel.json", out / "multichannel.md",
                        out / "targets.md"]
        real_recording_checks(weights=args.weights, data=args.data,
                              device=args.device, out=out)
        _print_written(written + [out / "real_recordings.json",
                                  out / "real_recordings.md",
                                  out / "real_recordings.png"])


def _decoding_methods(device, names=None):
    """The decoding study's denoisers on ``device``, those of ``names`` (None: all)."""
    import functools
    import inspect

    from .studies.decoding import NONE, default_denoisers

    every = default_denoisers()
    if names is not None:
        unknown = sorted(set(names) - set(every))
        if unknown:
            raise SystemExit(
                f"mne-denoise decoding: unknown --methods {unknown}; choose from "
                + ", ".join(repr(n) for n in every) + ".")
    methods = {}
    for name, (factory, learns) in every.items():
        if names is not None and name != NONE and name not in names:
            continue
        if (device != "auto" and factory is not None
                and "device" in inspect.signature(factory).parameters):
            factory = functools.partial(factory, device=device)
        methods[name] = (factory, learns)
    return methods


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
