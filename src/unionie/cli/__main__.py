"""``python -m unionie.cli``: the ``unionie`` command line (as ``python -m unionie``)."""
from unionie.cli import main

if __name__ == "__main__":  # pragma: no cover - the module's only purpose
    main()
