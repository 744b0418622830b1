#!/usr/bin/env python
"""unionie's benchmark: ``python bench/run.py [--quick] [--size-mb N] [--out FILE]``.

A thin wrapper around :func:`harness.main` (bench/harness.py) (also ``unionie bench``); see
docs/performance.md for what it measures and the latest figures.
"""
import sys

from harness import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
