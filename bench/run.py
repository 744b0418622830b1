#!/usr/bin/env python
"""unionie's benchmark: ``python bench/run.py [--quick] [--size-mb N] [--out FILE]``.

A thin wrapper around :func:`unionie._bench.main` (also ``unionie bench``); see
docs/performance.md for what it measures and the latest figures.
"""
import sys

from unionie._bench import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
