"""``python -m unionie``: the ``unionie`` command line."""
from unionie.cli import run

if __name__ == "__main__":  # pragma: no cover - the module's only purpose
    run()
