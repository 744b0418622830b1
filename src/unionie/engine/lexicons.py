"""Moved to :mod:`unionie.lexicons` (text helpers sit below ``normalize/`` and ``engine/``).
This name stays for code written against the old path; import from ``unionie.lexicons``."""
from ..lexicons import Boundaries, alternation, boundary_regex, bundled_yaml, grow_left, word_regex

__all__ = ["Boundaries", "alternation", "boundary_regex", "bundled_yaml", "grow_left", "word_regex"]
