"""Read a rule file as untrusted input: bounded size, bounded nesting, no aliases, no objects.

A rule pack may come from anyone (a colleague's folder, a download), so reading one must
not cost more than its size. Plain ``yaml.safe_load`` already refuses Python tags, but it
accepts YAML anchors and aliases, and a few hundred bytes of nested aliases (a "billion
laughs" bomb) become a structure that is exponential in size as soon as anything walks it
(``str()`` of a description did). :func:`load_yaml` therefore

* refuses a file over :data:`MAX_BYTES` before reading it (``stat``), and text or bytes over
  that size before parsing them;
* decodes bytes as UTF-8 (a BOM is allowed) and reports a bad byte as U201 with the file,
  the line, the column and the byte offset;
* walks the YAML *events* of the text (PyYAML's parser, the C one when libyaml is there) and
  refuses any anchor (``&a``) or alias (``*a``) at its line, and any mapping or list nested
  deeper than :data:`MAX_DEPTH`, before a single node is built, so a bomb is refused in
  microseconds and its memory is never allocated;
* only then builds the data with a ``yaml.SafeLoader`` (or the given subclass of it), which
  constructs plain ``dict``/``list``/``str``/``int``/``float``/``bool``/``None`` and refuses
  every other tag.

Rule packs never need anchors: repeat the list, or put shared words in a pack's ``lexicon``.
Every refusal is a :class:`~unionie.errors.RuleError` (U201) naming the file and the line.
"""
from __future__ import annotations

import os
from typing import Any, Union

import yaml

from ..errors import RuleError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "load_yaml", "read_rule_text"]

#: the largest rule file accepted (bytes of UTF-8); the bundled files are under 3 KB
MAX_BYTES = 1 << 20
#: the deepest nesting of mappings and lists accepted; the bundled files go 4 deep
MAX_DEPTH = 32

Source = Union[str, bytes, "os.PathLike[str]"]
_SafeParser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # events only: the fast parser when built


def _too_big(size: int, path: str) -> RuleError:
    return RuleError(f"rule file is {size:,} bytes; the limit is {MAX_BYTES:,} "
                     "(split the pack into several files)", path=path)


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line_start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        col = len(data[line_start:e.start].decode("utf-8", "replace")) + 1
        raise RuleError(f"not UTF-8: byte 0x{data[e.start]:02x} at byte {e.start} (column {col}) "
                        f"cannot be decoded ({e.reason}); rule files must be UTF-8, re-save it as UTF-8",
                        path=path, line=line) from None


def read_rule_text(path: str | os.PathLike[str]) -> str:
    """The text of a rule file: at most :data:`MAX_BYTES`, decoded as UTF-8, else U201."""
    p = str(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:
                raise _too_big(size, p)
            data = f.read(MAX_BYTES + 1)  # a file that grew (or a pipe) is still bounded
    except OSError as e:
        raise RuleError(f"cannot read rule file: {e.strerror or e}", path=p) from None
    if len(data) > MAX_BYTES:
        raise _too_big(len(data), p)
    return _decode(data, p)


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _bad_yaml(e: yaml.YAMLError, path: str) -> RuleError:
    if isinstance(e, yaml.MarkedYAMLError):
        return RuleError(f"bad YAML: {e.problem}", path=path, line=e.problem_mark.line + 1 if e.problem_mark else None)
    return RuleError(f"bad YAML: {e}", path=path)


def _check_events(text: str, path: str, parser: type[yaml.SafeLoader] | Any = _SafeParser) -> None:
    """Refuse anchors, aliases and deep nesting by walking the parser's events.

    The events come from libyaml's parser when PyYAML has it (fast); if that one stops at an
    error, the pure-Python parser walks the text again, so that what it finds first (nesting
    too deep, an alias) or its error message is the same as the loader's.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=parser):
            if isinstance(event, yaml.AliasEvent):
                raise RuleError(f"YAML alias *{event.anchor} is not allowed in a rule file "
                                "(anchors and aliases can expand without limit); repeat the value instead",
                                path=path, line=_line(event))
            if getattr(event, "anchor", None) is not None:
                raise RuleError(f"YAML anchor &{event.anchor} is not allowed in a rule file "
                                "(anchors and aliases can expand without limit); repeat the value instead",
                                path=path, line=_line(event))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise RuleError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=_line(event))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as e:
        if parser is yaml.SafeLoader:
            raise _bad_yaml(e, path) from None
        _check_events(text, path, yaml.SafeLoader)


def load_yaml(source: Source, *, path: str | None = None,
              loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Parse one rule file safely: ``source`` is a path (``pathlib.Path`` or another
    ``os.PathLike``), the file's bytes, or its text (``str``).

    ``path`` names the file in errors (default: ``source`` when it is a path). ``loader``
    builds the data once the text passed the checks; it must be ``yaml.SafeLoader`` or a
    subclass (the rule loader's subclass records line numbers). Raises
    :class:`~unionie.errors.RuleError` (U201) for a file too big, not UTF-8, not YAML,
    with an anchor or alias, or nested deeper than :data:`MAX_DEPTH`.
    """
    if not (isinstance(loader, type) and issubclass(loader, yaml.SafeLoader)):
        raise TypeError("loader must be yaml.SafeLoader or a subclass of it")
    if isinstance(source, os.PathLike):
        name = path or os.fspath(source)
        text = read_rule_text(source)
    elif isinstance(source, (bytes, bytearray)):
        name = path or "<bytes>"
        if len(source) > MAX_BYTES:
            raise _too_big(len(source), name)
        text = _decode(bytes(source), name)
    elif isinstance(source, str):
        name = path or "<text>"
        size = len(source) if len(source) > MAX_BYTES else len(source.encode("utf-8"))
        if size > MAX_BYTES:
            raise _too_big(size, name)
        text = source
    else:
        raise TypeError(f"load_yaml takes a path, bytes or text, got {type(source).__name__}")
    _check_events(text, name)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader (checked above)
    except yaml.YAMLError as e:
        raise _bad_yaml(e, name) from None
