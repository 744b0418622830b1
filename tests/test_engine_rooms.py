"""The event engine's rooms: no Chinese word in its code, one registry of text roles,
no per-document state on the extractor (threads may share it)."""
from __future__ import annotations

import io
import re
import tokenize
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import unionie
from unionie.engine.events import EventExtractor
from unionie.engine.textroles import TEXT_ROLE_KINDS
from unionie.normalize.text import fold
from unionie.rules.loader import TEXT_ROLE_KINDS as LOADER_KINDS, default_rules

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "src" / "unionie" / "engine"
EVENT_ENGINE = ["events", "triggers", "state", "draft", "textroles", "figures", "assemble", "grammar"]
HAN = re.compile(r"[\u3400-\u9fff]")


def _code_strings_with_han(path: Path) -> list[tuple[int, str]]:
    """String literals holding Han characters, docstrings left out."""
    out = []
    prev = None
    for tok in tokenize.tokenize(io.BytesIO(path.read_bytes()).readline):
        if tok.type == tokenize.STRING and HAN.search(tok.string):
            statement = prev is None or prev.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE,
                                                      tokenize.NL, tokenize.ENCODING)
            if not statement:
                out.append((tok.start[0], tok.string))
        if tok.type != tokenize.COMMENT:
            prev = tok
    return out


@pytest.mark.parametrize("module", EVENT_ENGINE)
def test_the_event_engine_writes_no_chinese_word_in_code(module: str) -> None:
    assert _code_strings_with_han(ENGINE / f"{module}.py") == []


def test_the_loader_accepts_exactly_the_text_role_kinds_the_engine_reads() -> None:
    assert set(TEXT_ROLE_KINDS) == set(LOADER_KINDS)


def test_one_extractor_shared_by_threads_gives_what_it_gives_alone() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "reports").glob("*.txt"))]
    docs = [unionie.extract(t) for t in texts]
    ex = EventExtractor(default_rules())

    def run(i: int) -> list:
        d = docs[i]
        return ex.extract(fold(texts[i]), texts[i], d.quantities, d.dates, d.entities)

    alone = [run(i) for i in range(len(texts))]
    assert sum(map(len, alone)) > 100
    with ThreadPoolExecutor(4) as pool:
        shared = list(pool.map(run, list(range(len(texts))) * 3))
    assert shared == alone * 3
    assert not hasattr(ex, "_lock") and not hasattr(ex, "_text")
