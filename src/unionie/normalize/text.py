"""Length-preserving text normalization for matching.

The extractor runs its patterns on a *folded* copy of the input. :func:`fold`
returns a string of exactly the input's length in which every character stands
where the original one stood, so any offset found in the folded text is valid
in the original (``text[start:end]`` is the span's surface form).

What :func:`fold` does, one code point for one code point:

* full-width ASCII U+FF01–U+FF5E becomes half-width (``：`` → ``:``,
  ``（）`` → ``()``, ``％`` → ``%``, ``～`` → ``~``, ``１２`` → ``12``), except the
  full-width comma ``，`` U+FF0C, which stays (it is the Chinese comma the rules
  split clauses on); the CJK punctuation outside that block (``。“”‘’《》、「」``)
  is kept too;
* U+3000, NBSP, U+1680, U+2000–U+200B, U+202F, U+205F, U+2060 and U+FEFF
  become ``" "``; U+2028/U+2029 (line/paragraph separator) become ``"\\n"``;
* ``\\r``, tabs, NUL and every other C0/C1 control character (``\\n`` excepted)
  and lone surrogates become ``" "`` (so ``\\r\\n`` keeps its length);
* HTML tags of known elements become ``"\\n"`` (block and line tags such as
  ``<br>``, ``<p>``, ``</div>``, ``<li>``, ``<tr>``, ``<h1>``) or ``" "`` (inline
  tags such as ``<span class="x">``), padded with spaces to the tag's length;
  comments and ``<!DOCTYPE …>`` become spaces. ``<`` followed by anything else
  (``a<b``, ``<10万元>``) is left alone;
* HTML character references (``&nbsp;`` ``&amp;`` ``&lt;`` ``&#12345;``
  ``&#x4e00;`` and every HTML5 name) become their character, padded with spaces
  to the reference's length, and are then folded like any other character;
* Traditional characters become Simplified ones (OpenCC ``t2s``), when asked to
  or when :func:`is_traditional` says so.

Spaces pasted around figures (``培训 120 人次``) are not dropped here (``fold`` keeps the
length): :mod:`unionie.normalize.spaces` drops them from the text and its folded copy before
extraction and maps the offsets back.

Traditional → Simplified conversion uses the ``opencc`` package (binary wheels
for Linux, macOS and Windows), loaded on first use; the pure-Python
``opencc-python-reimplemented`` installs the same ``opencc`` module with the same
API and works too, about 100 times slower.
"""
from __future__ import annotations

import functools
import html.entities
import re
from typing import Any, Callable

__all__ = ["fold", "is_traditional"]

#: Share of CJK characters (in the first :data:`_DETECT_SAMPLE` characters) that
#: must change under t2s for a text to count as Traditional.
_TRADITIONAL_THRESHOLD = 0.02
_DETECT_SAMPLE = 5000

_BLOCK_TAGS = frozenset(
    "br p div li tr h1 h2 h3 h4 h5 h6 hr ul ol table tbody thead tfoot td th "
    "dl dt dd blockquote pre section article header footer nav aside main title "
    "html head body center figure figcaption caption address".split()
)
_INLINE_TAGS = frozenset(
    "span a b i u s em strong font small big sup sub img code mark abbr cite q "
    "del ins strike tt label meta link script style o:p".split()
)

_TAG_RE = re.compile(
    r"<!--.{0,20000}?-->"  # comment
    r"|<![A-Za-z][^<>]{0,1000}>"  # <!DOCTYPE html>
    r"|</?([A-Za-z][A-Za-z0-9:]{0,15})(?=[\s/>])[^<>]{0,2000}>",
    re.DOTALL,
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")

_CJK_RE = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = chr(cp - 0xFEE0)
    # the full-width comma stays: it is the clause comma of Chinese text, and folding it
    # to "," would let 120，300人 read as the number 120,300
    del table[0xFF0C]
    for cp in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        table[cp] = " "
    del table[0x0A]  # keep "\n"
    for cp in (0x00A0, 0x1680, *range(0x2000, 0x200C), 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF):
        table[cp] = " "
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    for cp in range(0xD800, 0xE000):  # lone surrogates (not valid text)
        table[cp] = " "
    return table


_TABLE = _build_table()


def _char_class(codepoints: list[int]) -> str:
    """A regex class of ``codepoints`` (sorted), as ranges."""
    parts: list[str] = []
    start = prev = codepoints[0]
    for cp in codepoints[1:] + [-1]:
        if cp != prev + 1:
            parts.append(f"\\U{start:08x}" + (f"-\\U{prev:08x}" if prev > start else ""))
            start = cp
        prev = cp
    return "[" + "".join(parts) + "]"


_TABLE_RE = re.compile(_char_class(sorted(_TABLE)))
_TABLE_STR = {chr(cp): ch for cp, ch in _TABLE.items()}


def _fold_char(m: re.Match[str]) -> str:
    return _TABLE_STR[m.group()]


def _translate(text: str) -> str:
    """``text.translate(_TABLE)``. A report holds a few characters of the table (an indent,
    a full-width digit) among thousands: replacing those few, found by one C scan, is several
    times faster than ``str.translate``'s dict lookup per character. Text full of them (a
    full-width dump) still goes through ``str.translate``."""
    hits = len(_TABLE_RE.findall(text))
    if not hits:
        return text
    if hits * 8 > len(text):
        return text.translate(_TABLE)
    return _TABLE_RE.sub(_fold_char, text)


def _pad(replacement: str, length: int) -> str:
    return replacement + " " * (length - len(replacement))


def _tag(match: re.Match[str]) -> str:
    whole = match.group(0)
    name = match.group(1)
    if name is None:  # comment or declaration
        return " " * len(whole)
    name = name.lower()
    if name in _BLOCK_TAGS:
        return _pad("\n", len(whole))
    if name in _INLINE_TAGS:
        return " " * len(whole)
    return whole  # not HTML we know: leave "<甲乙>"-like text alone


def _entity(match: re.Match[str]) -> str:
    ref = match.group(0)
    body = ref[1:-1]
    char: str | None
    if body[0] == "#":
        try:
            cp = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
        except ValueError:  # pragma: no cover - the regex admits only digits
            cp = -1
        char = chr(cp) if 0 < cp <= 0x10FFFF and not 0xD800 <= cp < 0xE000 else " "
    else:
        char = html.entities.html5.get(body + ";")
        if char is None:
            return ref  # "&foo;" is not an entity: leave it
    if len(char) > len(ref):  # pragma: no cover - no HTML5 entity is longer than its name
        char = " "
    return _pad(char, len(ref))


def fold(text: str, *, traditional: bool | None = None) -> str:
    """Return a copy of ``text`` of the same length, folded for matching.

    See the module documentation for what is folded. ``traditional`` says
    whether to convert Traditional characters to Simplified: ``True`` always,
    ``False`` never, ``None`` (the default) when :func:`is_traditional` finds
    the text Traditional.

    >>> fold("２０２３年\\u3000工會舉辦培訓，共１２期&nbsp;<br/>")
    '2023年 工会举办培训，共12期      \\n    '
    """
    out = text
    if "<" in out:
        out = _TAG_RE.sub(_tag, out)
    if "&" in out:
        out = _ENTITY_RE.sub(_entity, out)
    out = _translate(out)
    converted = None  # OpenCC's conversion of the whole of ``out``, when the detection made it
    if traditional is None:
        sample = out[:_DETECT_SAMPLE]  # ``out`` is translated already
        traditional, converted = _detect(sample)
        if len(sample) < len(out):
            converted = None
    if traditional:
        out = _to_simplified(out, converted)
    assert len(out) == len(text), "fold must preserve length"
    return out


def is_traditional(text: str) -> bool:
    """Tell whether ``text`` is written in Traditional Chinese.

    Looks at the first 5000 characters: the text is Traditional when more than
    2% of its CJK characters change under OpenCC's t2s conversion. Text without
    CJK characters is not Traditional (and does not load the converter).
    """
    return _is_traditional(text[:_DETECT_SAMPLE].translate(_TABLE))  # lone surrogates would break the converter


def _is_traditional(sample: str) -> bool:
    """:func:`is_traditional` of a sample already translated with ``_TABLE``."""
    return _detect(sample)[0]


def _detect(sample: str) -> tuple[bool, str | None]:
    """(:func:`is_traditional` of a sample already translated with ``_TABLE``, OpenCC's conversion
    of the sample or None when none was made): a short text is converted once, not twice."""
    if not _CJK_RE.search(sample):
        return False, None
    converted = _converter()(sample)
    if converted == sample:  # Simplified text: nothing changed (the common case)
        return False, converted
    cjk = _CJK_RE.findall(sample)
    if len(converted) == len(sample):
        # compare in blocks (string equality is C-speed) and look at characters
        # only in the blocks that changed; same count as a character-by-character loop
        changed = 0
        for i in range(0, len(sample), 64):
            a, b = sample[i:i + 64], converted[i:i + 64]
            if a != b:
                changed += sum(1 for x, y in zip(a, b) if x != y and _CJK_RE.match(x))
    else:
        changed = sum(1 for ch in cjk if _t2s_char(ch) != ch)
    return changed > _TRADITIONAL_THRESHOLD * len(cjk), converted


def _to_simplified(text: str, converted: str | None = None) -> str:
    """Convert Traditional to Simplified without changing the length.

    OpenCC converts phrases first (乾隆 stays, 乾淨 → 干净), so the whole text is
    converted at once and kept when its length is unchanged (OpenCC's t2s
    dictionaries map every entry to one of the same length, so this is the
    normal case). Otherwise each line is converted alone, and a line whose
    length still changes is converted character by character.
    """
    if not _CJK_RE.search(text):
        return text
    convert = _converter()
    out = convert(text) if converted is None else converted  # ``converted``: convert(text), made already
    if len(out) == len(text):
        return out
    parts: list[str] = []  # pragma: no cover - depends on OpenCC's data
    for line in text.splitlines(keepends=True):  # pragma: no cover
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(_t2s_char(ch) for ch in line)
        parts.append(conv)
    return "".join(parts)  # pragma: no cover


@functools.lru_cache(maxsize=None)
def _t2s_char(ch: str) -> str:
    """Simplified form of one character, or the character itself."""
    out = _converter()(ch)
    return out if len(out) == 1 else ch


@functools.lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    """The OpenCC t2s converter, loaded on first use."""
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - opencc is a dependency
        raise ImportError(
            "unionie needs the 'opencc' package to convert Traditional Chinese: "
            "pip install opencc (or pass traditional=False)"
        ) from exc
    conv: Any = opencc.OpenCC("t2s")
    convert: Callable[[str], str] = conv.convert
    return convert
