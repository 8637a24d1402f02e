"""reuse_freed_memory: freed blocks are served again without page faults."""

import subprocess
import sys
import textwrap

import pytest

from mne_denoise.utils import reuse_freed_memory

# Runs in a fresh interpreter: the setting is process-wide and permanent.
_SCRIPT = textwrap.dedent("""
    import resource, sys
    import torch
    from mne_denoise.utils import reuse_freed_memory

    def call():  # 40 MB: above what malloc ever serves from its heap
        torch.empty(10_000_000).fill_(1.0)  # by default

    def faults_per_call():
        for _ in range(3):
            call()
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(10):
            call()
        return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) / 10

    before = faults_per_call()
    applied = reuse_freed_memory()
    after = faults_per_call()
    print(applied, before, after)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="glibc's malloc (Linux) only")
def test_reuse_freed_memory_stops_page_faults():
    env = {"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}  # no MALLOC_* vars
    out = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True,
                         text=True, env=env, check=True, timeout=120)
    applied, before, after = out.stdout.split()
    if applied != "True":
        pytest.skip("not glibc")
    # A 40 MB block is mapped afresh by default, ~10,000 pages faulted in
    # on every call; kept by malloc, none.
    assert float(before) > 1000
    assert float(after) < 50


def test_reuse_freed_memory_checks_its_argument():
    with pytest.raises(ValueError, match="positive number of bytes"):
        reuse_freed_memory(0)
