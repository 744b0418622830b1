"""Rule packs: event types as data files, checked when they load.

An event type is one YAML file (see ``data/events/*.yaml`` and docs/rules.md)::

    type: subsidy
    roles: [organizer, time, beneficiary, beneficiary_count, amount, rate, items]
    merge: true | named | false
    triggers:
      - id: subsidy.program
        words: [金秋助学, 送温暖]
        patterns: ['暖[“"]新[”"]行动']      # optional regexes
        confidence: 0.9
        needs_evidence: false                # true: only with a figure, a date, or a name
        noun: false                          # the trigger names the thing built (工作室)
        detail: false                        # true: in the clause after an event of the type, it
                                             # adds a detail to that event (发放助学金58万元)
        detail_of: [subsidy.program]         # a detail only of an event of these trigger rules
                                             # (送温暖活动…，走访慰问…: the programme's visits)
        part: false                          # true: a part or outcome of the event in the clause
                                             # before it (调解成功19起): never an event of its own there
        requires: [honor]                    # roles its events must have, in place of the type's
    quantities:
      money: amount                          # money without a rate
      rate: rate                             # money with `per`
      percent: rate
      units: {beneficiary_count: [人, 名, 户]}
    text_roles: {beneficiary: person, name: quoted}
    not_followed_by: [基地]                   # a trigger followed by these is not one

Files are read as untrusted input by :mod:`unionie.rules.safe_yaml` (``yaml.safe_load``
semantics: no tags, no code; size and nesting capped, anchors and aliases refused). Every problem
raises :class:`~unionie.errors.RuleError` naming the file, the line and the rule id.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import regex
import yaml

from ..errors import RuleError
from .safe_yaml import load_yaml, read_rule_text

__all__ = ["TriggerRule", "EventType", "RulePack", "load_rule_file", "load_rules", "default_rules",
           "TEXT_ROLE_KINDS", "check_paths", "rule_files", "load_rule_text"]

#: how a text role is filled (the readers of unionie.engine.textroles.TEXT_ROLE_KINDS)
TEXT_ROLE_KINDS = frozenset({"person", "quoted", "quoted_or_phrase", "quoted_or_activity", "phrase", "honor", "org_phrase",
                             "org_names", "goods"})
_TOP_KEYS = {"type", "description", "roles", "merge", "triggers", "quantities", "text_roles",
             "not_followed_by", "not_preceded_by", "version", "priority", "list_role", "requires",
             "role_cues"}
_TRIGGER_KEYS = {"id", "words", "patterns", "confidence", "needs_evidence", "noun", "not_followed_by",
                 "not_preceded_by", "not_followed_by_patterns", "detail", "detail_of", "part", "subject_role", "requires",
                 "__line__"}
_PATTERN_BUDGET_S = 0.05  # a pattern that needs longer than this on a probe text is refused
# the wall-clock cap of the probe search: only a pattern that backtracks for ever reaches it (a
# fast one needs microseconds); the budget itself is judged in CPU time of the loading thread,
# so that a busy machine (other processes, a garbage collection) never refuses a bundled pattern
_PATTERN_TIMEOUT_S = 2.0


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping as ``__line__``
    and the line of each of its keys in ``.key_lines``."""


class _LineDict(dict):  # type: ignore[type-arg]
    """A mapping read from YAML that remembers the line of each key."""

    key_lines: dict[Any, int]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    mapping = _LineDict(yaml.SafeLoader.construct_mapping(loader, node, deep=True))
    mapping.key_lines = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            mapping.key_lines.setdefault(key_node.value, key_node.start_mark.line + 1)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _role_cues(data: Any, roles: Any, path: str, line: int | None, etype: str) -> dict[str, tuple[str, ...]]:
    """A type's ``role_cues``: {role: [words]}, every role one of the type's."""
    cues = data.get("role_cues") or {}
    cline = _key_line(data, "role_cues", line)
    if not isinstance(cues, dict):
        raise _err("`role_cues` must map roles to words", path, cline, etype)
    out: dict[str, tuple[str, ...]] = {}
    for role, words in cues.items():
        if role == "__line__":
            continue
        if role not in roles:
            raise _err(f"`role_cues` names unknown role {role!r}", path, cline, etype)
        out[role] = _str_list(words, f"role_cues.{role}", path, cline, etype)
    return out


def _subject_role(value: Any, roles: Any, path: str, line: int | None, rid: str) -> str | None:
    """A trigger's ``subject_role``: one of the type's roles (or None)."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in roles:
        raise _err(f"`subject_role` {value!r} must be one of the type's roles", path, line, rid)
    return value


def _key_line(data: Any, key: Any, default: int | None) -> int | None:
    """The line of ``key`` in a mapping read by :class:`_LineLoader` (else ``default``)."""
    lines = getattr(data, "key_lines", None) or {}
    return lines.get(str(key), default)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _trigger_requires(t: dict, roles: Any, path: str, line: int | None, rid: str) -> tuple[str, ...] | None:
    """A trigger's own ``requires`` (roles of the type), or None when it has none."""
    if "requires" not in t:
        return None
    req = _str_list(t.get("requires"), "requires", path, line, rid)
    for r in req:
        if r not in (roles or ()):
            raise _err(f"`requires` names unknown role {r!r}", path, line, rid)
    return req


@dataclass(frozen=True)
class TriggerRule:
    id: str
    type: str
    words: tuple[str, ...]
    patterns: tuple[regex.Pattern[str], ...]
    confidence: float
    needs_evidence: bool
    noun: bool
    not_followed_by: tuple[str, ...]
    not_preceded_by: tuple[str, ...]
    not_followed_by_patterns: tuple[regex.Pattern[str], ...] = ()
    detail: bool = False
    #: the trigger rules (ids) of the events this trigger adds a detail to in the clause after
    #: them, as ``detail`` does for every event of the type (送温暖活动…，走访慰问…)
    detail_of: tuple[str, ...] = ()
    #: a part or an outcome of the activity told in the clause before (调解成功19起 after 受理…21起):
    #: after an event of its type there, it is no event of its own, even with a figure of a role
    #: that event holds
    part: bool = False
    #: the role the subject of the trigger takes instead of ``organizer`` (荣获, 获评: the
    #: subject receives the honour; the agent of 被/由 stays the organizer)
    subject_role: str | None = None
    #: the roles an event of this trigger must have, in place of its type's ``requires``
    #: (None: the type's); a ceremony (表彰大会) is an honour event without naming the honour
    requires: tuple[str, ...] | None = None
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class EventType:
    type: str
    description: str
    roles: tuple[str, ...]
    merge: str  # "true" | "named" | "false"
    triggers: tuple[TriggerRule, ...]
    money_role: str | None
    rate_role: str | None
    percent_role: str | None
    unit_roles: dict[str, str]
    text_roles: dict[str, str]
    list_role: str | None = None
    requires: tuple[str, ...] = ()
    #: role -> words: a figure with one of these words right before or after it takes the
    #: role (and prefers an event of this type) whatever its measure word says (参赛 → participants)
    role_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""

    def role_for(self, unit: str, per: bool) -> str | None:
        """The role a quantity with this unit takes in an event of this type."""
        if unit == "%":
            return self.percent_role
        if unit in ("CNY", "USD", "HKD", "MOP", "EUR"):
            return self.rate_role if per else self.money_role
        if per:
            return None
        return self.unit_roles.get(unit)


@dataclass
class RulePack:
    """A set of event types, keyed by type name. Later packs override earlier ones."""

    types: dict[str, EventType] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    extra_words: list[str] = field(default_factory=list)

    def triggers(self) -> list[TriggerRule]:
        return [t for et in self.types.values() for t in et.triggers]

    def merged(self, other: "RulePack") -> "RulePack":
        types = dict(self.types)
        types.update(other.types)
        return RulePack(types=types, sources=self.sources + other.sources,
                        extra_words=self.extra_words + other.extra_words)

    def trigger_words(self) -> list[str]:
        return sorted({w for t in self.triggers() for w in t.words})


def _err(msg: str, path: str, line: int | None = None, rule_id: str | None = None) -> RuleError:
    return RuleError(msg, path=path, line=line, rule_id=rule_id)


def _str_list(value: Any, what: str, path: str, line: int | None, rid: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(x, (str, int)) for x in value):
        raise _err(f"{what} must be a list of strings", path, line, rid)
    return tuple(str(x) for x in value)


_NESTED_QUANT = regex.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")


def _compile_pattern(p: Any, path: str, line: int | None, rid: str) -> regex.Pattern[str]:
    if not isinstance(p, str) or not p:
        raise _err("a pattern must be a non-empty string", path, line, rid)
    if _NESTED_QUANT.search(p):
        raise _err(f"pattern {p!r} nests quantifiers (catastrophic backtracking)", path, line, rid)
    try:
        pat = regex.compile(p)
    except regex.error as e:
        raise _err(f"invalid regex {p!r}: {e}", path, line, rid) from None
    probe = "职工" * 200 + "a" * 200 + "!"
    t0 = time.thread_time()
    try:
        pat.search(probe, timeout=_PATTERN_TIMEOUT_S)
    except TimeoutError:
        raise _err(f"pattern {p!r} is too slow (timed out on a probe text)", path, line, rid) from None
    if time.thread_time() - t0 > _PATTERN_BUDGET_S * 4:  # pragma: no cover - timing dependent
        raise _err(f"pattern {p!r} is too slow", path, line, rid)
    return pat


def parse_event_type(data: Any, path: str) -> EventType:
    """Check and compile one event-type mapping (as loaded by the line-aware loader)."""
    if not isinstance(data, dict):
        raise _err("an event-type file must hold a mapping", path, 1)
    line = data.get("__line__", 1)
    unknown = set(data) - _TOP_KEYS - {"__line__"}
    if unknown:
        first = sorted(unknown, key=lambda k: _key_line(data, k, line) or 0)[0]
        tname = data.get("type") if isinstance(data.get("type"), str) else None
        raise _err(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}; "
                   f"known keys: {', '.join(sorted(_TOP_KEYS))}", path, _key_line(data, first, line), tname)
    etype = data.get("type")
    if not isinstance(etype, str) or not regex.fullmatch(r"[a-z][a-z0-9_]*", etype):
        raise _err("`type` must be a lowercase identifier such as subsidy", path, line)
    roles = _str_list(data.get("roles"), "roles", path, line, etype)
    if not roles:
        raise _err("`roles` must list the roles of the type", path, line, etype)
    if "organizer" not in roles or "time" not in roles:
        roles = tuple(dict.fromkeys(("organizer", "time") + roles))
    merge = str(data.get("merge", "true")).lower()
    if merge not in ("true", "false", "named"):
        raise _err("`merge` must be true, false or named", path, line, etype)
    trig_data = data.get("triggers")
    if not isinstance(trig_data, list) or not trig_data:
        raise _err("`triggers` must be a non-empty list", path, _key_line(data, "triggers", line), etype)
    type_nf = _str_list(data.get("not_followed_by"), "not_followed_by", path, line, etype)
    type_np = _str_list(data.get("not_preceded_by"), "not_preceded_by", path, line, etype)
    seen_ids: set[str] = set()
    triggers = [_parse_trigger(t, i, etype, roles, path, line, seen_ids, type_nf, type_np)
                for i, t in enumerate(trig_data)]
    q, unit_roles = _parse_quantities(data, roles, path, line, etype)
    text_roles = _parse_text_roles(data, roles, path, line, etype)
    list_role = data.get("list_role")
    if list_role is not None and list_role not in text_roles:
        raise _err(f"`list_role` {list_role!r} must be one of the type's text_roles", path,
                   _key_line(data, "list_role", line), etype)
    requires = _str_list(data.get("requires"), "requires", path, line, etype)
    for r in requires:
        if r not in roles:
            raise _err(f"`requires` names unknown role {r!r}", path, _key_line(data, "requires", line), etype)
    return EventType(type=etype, description=str(data.get("description", "")), roles=roles, merge=merge,
                     triggers=tuple(triggers), money_role=q.get("money"), rate_role=q.get("rate"),
                     percent_role=q.get("percent"), unit_roles=unit_roles, text_roles=text_roles,
                     list_role=list_role, requires=requires, role_cues=_role_cues(data, roles, path, line, etype),
                     source=path)


def _parse_trigger(t: Any, i: int, etype: str, roles: tuple[str, ...], path: str, line: int,
                   seen_ids: set[str], type_nf: tuple[str, ...], type_np: tuple[str, ...]) -> TriggerRule:
    """Check and compile trigger #``i + 1`` of a type (its ``not_*`` words after its own)."""
    tline = t.get("__line__", line) if isinstance(t, dict) else line
    if not isinstance(t, dict):
        raise _err(f"trigger #{i + 1} must be a mapping", path, tline, etype)
    rid = t.get("id") or f"{etype}.{i + 1}"
    if not isinstance(rid, str):
        raise _err("a trigger `id` must be a string", path, tline, str(rid))
    if rid in seen_ids:
        raise _err("duplicate trigger id", path, tline, rid)
    seen_ids.add(rid)
    bad = set(t) - _TRIGGER_KEYS
    if bad:
        first = sorted(bad, key=lambda k: _key_line(t, k, tline) or 0)[0]
        raise _err(f"unknown trigger key(s): {', '.join(sorted(map(str, bad)))}; known keys: "
                   f"{', '.join(sorted(_TRIGGER_KEYS - {'__line__'}))}", path, _key_line(t, first, tline), rid)
    words = _str_list(t.get("words"), "words", path, tline, rid)
    pats = tuple(_compile_pattern(p, path, tline, rid) for p in (t.get("patterns") or []))
    if not words and not pats:
        raise _err("a trigger needs `words` or `patterns`", path, tline, rid)
    conf = t.get("confidence", 0.7)
    if not isinstance(conf, (int, float)) or not 0 < float(conf) <= 1:
        raise _err("`confidence` must be a number in (0, 1]", path, tline, rid)
    return TriggerRule(
        id=rid, type=etype, words=words, patterns=pats, confidence=float(conf),
        needs_evidence=bool(t.get("needs_evidence", False)), noun=bool(t.get("noun", False)),
        detail=bool(t.get("detail", False)),
        detail_of=_str_list(t.get("detail_of"), "detail_of", path, tline, rid),
        part=bool(t.get("part", False)),
        subject_role=_subject_role(t.get("subject_role"), roles, path, tline, rid),
        requires=_trigger_requires(t, roles, path, tline, rid),
        not_followed_by=_str_list(t.get("not_followed_by"), "not_followed_by", path, tline, rid) + type_nf,
        not_preceded_by=_str_list(t.get("not_preceded_by"), "not_preceded_by", path, tline, rid) + type_np,
        not_followed_by_patterns=tuple(_compile_pattern(p, path, tline, rid)
                                       for p in (t.get("not_followed_by_patterns") or [])),
        source=path, line=tline)


def _parse_quantities(data: dict[str, Any], roles: tuple[str, ...], path: str, line: int,
                      etype: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``quantities`` mapping checked, and its measure words → role."""
    q = data.get("quantities") or {}
    if not isinstance(q, dict):
        raise _err("`quantities` must be a mapping", path, line, etype)
    qline = q.get("__line__", line)
    unit_roles: dict[str, str] = {}
    units = q.get("units") or {}
    if not isinstance(units, dict):
        raise _err("`quantities.units` must map roles to measure words", path, qline, etype)
    for role, ws in units.items():
        if role == "__line__":
            continue
        if role not in roles:
            raise _err(f"unknown role {role!r} (not in `roles`)", path,
                       _key_line(units, role, units.get("__line__", qline)), etype)
        for w in _str_list(ws, f"units of {role}", path, qline, etype):
            unit_roles.setdefault(w, role)
    for key in ("money", "rate", "percent"):
        r = q.get(key)
        if r is not None and r not in roles:
            raise _err(f"unknown role {r!r} for {key} (not in `roles`)", path, _key_line(q, key, qline), etype)
    return q, unit_roles


def _parse_text_roles(data: dict[str, Any], roles: tuple[str, ...], path: str, line: int,
                      etype: str) -> dict[str, str]:
    """The ``text_roles`` mapping checked: role → text-role kind."""
    text_roles: dict[str, str] = {}
    tr = data.get("text_roles") or {}
    if not isinstance(tr, dict):
        raise _err("`text_roles` must be a mapping", path, line, etype)
    for role, kind in tr.items():
        if role == "__line__":
            continue
        if role not in roles:
            raise _err(f"unknown role {role!r} (not in `roles`)", path,
                       _key_line(tr, role, tr.get("__line__", line)), etype)
        if kind not in TEXT_ROLE_KINDS:
            raise _err(f"unknown text-role kind {kind!r}; use one of {', '.join(sorted(TEXT_ROLE_KINDS))}",
                       path, _key_line(tr, role, tr.get("__line__", line)), etype)
        text_roles[role] = str(kind)
    return text_roles


def _load_yaml(text: str, path: str) -> Any:
    # untrusted input: size and nesting capped, anchors/aliases refused (rules/safe_yaml.py)
    return load_yaml(text, path=path, loader=_LineLoader)


def load_rule_file(path: str | Path) -> RulePack:
    """Load one rule file: an event type (``type:``), or a pack with ``event_types:`` and ``lexicon:``."""
    p = str(path)
    text = read_rule_text(path)  # size capped, UTF-8 decoded, else U201 with file and line
    return load_rule_text(text, p)


def load_rule_text(text: str, source: str) -> RulePack:
    """Load the text of one rule file (``source`` names it in errors): what
    :func:`load_rule_file` does once the file is read."""
    p = source
    data = _load_yaml(text, p)
    pack = RulePack(sources=[p])
    if isinstance(data, dict) and "event_types" in data:
        bad = set(data) - {"event_types", "lexicon", "__line__", "description", "name", "version"}
        if bad:
            first = sorted(bad, key=lambda k: _key_line(data, k, 0) or 0)[0]
            raise _err(f"unknown key(s): {', '.join(sorted(map(str, bad)))}; a pack has event_types, lexicon, "
                       "name, description and version", p, _key_line(data, first, data.get("__line__")))
        for et in data.get("event_types") or []:
            t = parse_event_type(et, p)
            pack.types[t.type] = t
        pack.extra_words = list(_str_list(data.get("lexicon"), "lexicon", p, data.get("__line__"), None))
    else:
        t = parse_event_type(data, p)
        pack.types[t.type] = t
    return pack


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """The rule files of files and folders, in the order they are loaded: each path in
    turn, a folder's ``*.yaml`` (sorted) then its ``*.yml`` (sorted). The one place
    that finds rule files. A path that does not exist raises :class:`RuleError`."""
    out: list[Path] = []
    for p in paths:
        pth = Path(p)
        if pth.is_dir():
            out.extend(sorted(pth.glob("*.yaml")) + sorted(pth.glob("*.yml")))
        elif pth.exists():
            out.append(pth)
        else:
            raise RuleError("rule file or folder not found", path=str(pth))
    return out


def load_rules(paths: Iterable[str | Path]) -> RulePack:
    """Load rule files and folders (:func:`rule_files`) into one pack; later ones override."""
    pack = RulePack()
    for f in rule_files(paths):
        pack = pack.merged(load_rule_file(f))
    return pack


_default: RulePack | None = None


def default_rules() -> RulePack:
    """The bundled event types (``unionie/data/events/*.yaml``), loaded once."""
    global _default
    if _default is None:
        folder = resources.files("unionie").joinpath("data/events")
        pack = RulePack()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml"):
                data = _load_yaml(entry.read_text(encoding="utf-8"), f"unionie/data/events/{entry.name}")
                t = parse_event_type(data, f"unionie/data/events/{entry.name}")
                pack.types[t.type] = t
                pack.sources.append(f"unionie/data/events/{entry.name}")
        _default = pack
    return _default


def check_paths(paths: Iterable[str | Path]) -> list[RuleError]:
    """Check rule files and return their problems (empty when all load)."""
    problems: list[RuleError] = []
    for path in paths:
        try:
            files = rule_files([path])
        except RuleError as e:
            problems.append(e)
            continue
        for f in files:
            try:
                load_rule_file(f)
            except RuleError as e:
                problems.append(e)
    return problems


def shadowed_triggers(pack: RulePack, bundled: RulePack | None = None) -> list[str]:
    """Warnings for trigger words of ``pack`` that a bundled type takes first.

    A word listed by two types belongs to the trigger with the higher confidence, and on
    a tie to the bundled one, so such a word never starts an event of the pack's type.
    A pack type that replaces a bundled type of the same name shadows nothing of it.
    Each warning reads ``FILE:LINE (rule ID): trigger word 'W' is also a trigger of the
    bundled type T (rule R, confidence C >= C'), which takes it: ...``.
    """
    bundled = default_rules() if bundled is None else bundled
    owner: dict[str, TriggerRule] = {}
    for t in sorted((t for et in bundled.types.values() if et.type not in pack.types for t in et.triggers),
                    key=lambda t: -t.confidence):
        for w in t.words:
            owner.setdefault(w, t)
    out = []
    for et in pack.types.values():
        for t in et.triggers:
            for w in t.words:
                b = owner.get(w)
                if b is not None and b.confidence >= t.confidence:
                    out.append(f"{t.source}:{t.line} (rule {t.id}): trigger word {w!r} is also a trigger "
                               f"of the bundled type {b.type} (rule {b.id}, confidence {b.confidence:g} >= "
                               f"{t.confidence:g}), which takes it: this rule never fires on it; raise its "
                               f"confidence above {b.confidence:g} or drop the word")
    return out
