# License: BSD-3-Clause
"""The ``mne-denoise`` command line: demo, train, benchmark and decoding."""

import argparse
import json
import sys


def _add_common(p):
    p.add_argument("--device", default="auto",
                   help="'auto' (CUDA when present), 'cpu' or 'cuda'.")
    p.add_argument("--seed", type=int, default=0, help="Random seed.")


def _add_report(p, out, quick_help,
                out_help="Folder for the JSON and markdown results."):
    """--out, --data and --quick of the commands that write results."""
    p.add_argument("--out", default=out, help=out_help)
    p.add_argument("--data", default=None,
                   help="Folder of the shared recordings (default: "
                   "$MNE_DENOISE_SHARED or ../shared/data).")
    p.add_argument("--quick", action="store_true", help=quick_help)


def _build_parser():
    # The shipped models' specs live with their training (one home).
    from .studies.train import MODELS as train_models

    parser = argparse.ArgumentParser(
        prog="mne-denoise",
        description="Deep-learning removal of EOG/EMG artifacts from EEG.",
    )
    parser.add_argument("--version", action="store_true", help="Print the version.")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser(
        "demo", help="Denoise a bundled simulated example with the pretrained "
        "model, print before/after metrics and write a figure.")
    p.add_argument("--out", default="mne_denoise_demo",
                   help="Folder for the figure (created if needed).")
    p.add_argument("--no-figure", action="store_true", help="Skip the figure.")
    _add_common(p)

    p = sub.add_parser(
        "train", help="Train a shipped model on the shared recordings and "
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
    p.add_argument("--module-params", default=None, type=json.loads,
                   help='Network arguments as JSON, e.g. \'{"channels": [8, 8]}\'.')
    p.add_argument("--max-seconds", type=float, default=None,
                   help="Stop training before an epoch would end past this many "
                   "seconds.")
    p.add_argument("--max-test-segments", type=int, default=None,
                   help="Clean test segments evaluated for the model card "
                   "(seeded subset; default all).")
    _add_common(p)

    p = sub.add_parser(
        "benchmark", help="Evaluate denoisers on the held-out test pools and "
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
    p.add_argument("--threads", type=int, default=None,
                   help="Torch CPU threads (default: torch's choice).")
    _add_common(p)

    p = sub.add_parser(
        "decoding", help="Cross-validate CSP + LDA on EEGMMIDB motor imagery "
        "with and without each denoiser, on clean and contaminated data.")
    _add_report(p, "decoding_results",
                "One data set, to check that the command runs.")
    p.add_argument("--snr", type=float, default=-5.0,
                   help="SNR of the added artifacts, dB (10*log10 RMS ratio).")
    p.add_argument("--seed", type=int, default=0, help="Random seed.")
    return parser


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
    if args.command == "demo":
        from .studies.demo import run_demo

        run_demo(out=args.out, figure=not args.no_figure, device=args.device,
                 random_state=args.seed)
    elif args.command == "train":
        from .studies.train import train_model

        train_model(
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
            into_package=args.into_package)
    elif args.command == "benchmark":
        from .studies.benchmark import run_benchmark

        if args.threads is not None:
            import torch

            torch.set_num_threads(args.threads)
        run_benchmark(out=args.out, data=args.data, quick=args.quick,
                      max_segments=args.max_segments, device=args.device,
                      random_state=args.seed,
                      low_rank_solver=args.low_rank_solver,
                      zoo_budget_s=args.zoo_budget_s)
    elif args.command == "decoding":
        from .studies.decoding import run_decoding_study

        run_decoding_study(out=args.out, data=args.data, snr=args.snr,
                           random_state=args.seed,
                           datasets=[(1, (6, 10, 14))] if args.quick else None)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
