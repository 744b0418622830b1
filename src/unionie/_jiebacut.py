"""jieba's accurate-mode ``cut``, token for token, in a tighter loop.

``jieba.Tokenizer.cut`` spends most of its time in Python bookkeeping around a simple
algorithm: a DAG of the dictionary words starting at each character (a dict of lists),
a right-to-left dynamic programme over it (a generator and ``max`` of tuples per
character, ``math.log`` of every candidate's count), and for runs of single characters
that are not a word, the HMM of ``jieba.finalseg`` (a Viterbi decoder that copies its
paths at every step). :class:`JiebaCut` runs the *same* algorithm on the *same* data
(the tokenizer's ``FREQ`` and ``total``, finalseg's probabilities and its
``Force_Split_Words``) with the same floating-point expressions in the same order and the
same tie-breaking, so its tokens are jieba's; it only does less work per character:

* the DAG and the programme are one pass (no DAG dict, no generator, no tuples);
* ``log(count) - log(total)`` is computed once per distinct count, not per candidate;
* the Viterbi decoder is unrolled over its four states and keeps back-pointers instead of
  copying paths; each character's emission probabilities are looked up once.

Only accurate mode (``cut_all=False``) is implemented, with and without the HMM; the
tests compare it with ``jieba.Tokenizer.cut`` on the corpus, on edge cases and on random
text (tests/test_jiebacut.py). It reads the tokenizer's dictionary at every call, so
words added with ``add_word`` take effect at once, as in jieba.
"""
from __future__ import annotations

from math import log
from typing import Any

from jieba import re_han_default as _RE_HAN, re_skip_default as _RE_SKIP, re_eng as _RE_ENG
from jieba import finalseg as _finalseg

__all__ = ["JiebaCut", "RE_HAN"]

RE_HAN = _RE_HAN  # the runs jieba cuts one by one; everything else is a token per character

_MIN = _finalseg.MIN_FLOAT
_HMM_HAN = _finalseg.re_han
_HMM_SKIP = _finalseg.re_skip
_FORCE_SPLIT = _finalseg.Force_Split_Words  # jieba's process-wide set, read as jieba reads it

# the HMM's constants, by state: B(egin), M(iddle), E(nd), S(ingle)
_START = _finalseg.start_P
_TRANS = _finalseg.trans_P
_EMIT = _finalseg.emit_P
_SB, _SE = _START["B"], _START["S"]
_T_EB, _T_SB = _TRANS["E"]["B"], _TRANS["S"]["B"]    # into B from E, S
_T_MM, _T_BM = _TRANS["M"]["M"], _TRANS["B"]["M"]    # into M from M, B
_T_SS, _T_ES = _TRANS["S"]["S"], _TRANS["E"]["S"]    # into S from S, E
_T_BE, _T_ME = _TRANS["B"]["E"], _TRANS["M"]["E"]    # into E from B, M
# finalseg's start probabilities of M and E are MIN_FLOAT, as its other absent entries
_SM, _SEND = _START.get("M", _MIN), _START.get("E", _MIN)


#: :meth:`JiebaCut.starts_word` proves nothing when more than this many characters of the run
#: follow ``pos``: the proof runs jieba's route over all of them, so asking it about every
#: trigger of one long unpunctuated run would cost the run's length each time (quadratic);
#: the run is then cut once, as without the proof.
PROOF_MAX = 256


class JiebaCut:
    """``JiebaCut(tk).cut(text, hmm)`` == ``list(tk.cut(text, HMM=hmm))`` for a ``jieba.Tokenizer`` ``tk``."""

    def __init__(self, tk: Any) -> None:
        self.tk = tk
        self._total: Any = None
        self._logp: dict[int, float] = {}  # count -> log(count) - log(total), for the current total
        self._emit: dict[str, tuple[float, float, float, float]] = {}  # char -> (B, M, E, S) emission
        self._key_len: tuple[int, int, int] = (-1, -1, 0)  # (id, size) of FREQ -> its longest key
        # the route last computed by _tail_route: (run, lo, prob, nxt, total, FREQ, len(FREQ))
        self._tail: tuple[str, int, list[float], list[int], Any, Any, int] | None = None

    # -- the dictionary programme ------------------------------------------------------------
    def _route(self, s: str) -> list[int]:
        """``nxt[i]``: the end (exclusive) of the word jieba's route takes at ``i``."""
        n = len(s)
        prob = [0.0] * (n + 1)
        nxt = list(range(1, n + 2))
        self._fill_route(s, prob, nxt, 0, n)
        return nxt

    def _fill_route(self, s: str, prob: list[float], nxt: list[int], lo: int, hi: int) -> None:
        """The programme at ``hi - 1`` down to ``lo``, over ``prob``/``nxt`` already filled from
        ``hi`` on (``prob[len(s)]`` is 0). It runs right to left, so the route of ``s[lo:]`` is
        the route of ``s`` from ``lo`` on: the same values, the same ties."""
        tk = self.tk
        freq = tk.FREQ
        if tk.total != self._total:
            self._total = tk.total
            self._logp = {}
        logtotal = log(tk.total)
        logp = self._logp
        fget = freq.get
        n = len(s)
        for idx in range(hi - 1, lo - 1, -1):
            best = None
            bx = idx
            i = idx
            frag = s[idx]
            f = fget(frag)
            while f is not None:
                if f:
                    lp = logp.get(f)
                    if lp is None:
                        lp = logp[f] = log(f) - logtotal
                    p = lp + prob[i + 1]
                    if best is None or p >= best:  # max of (p, x): the later end wins a tie
                        best = p
                        bx = i
                i += 1
                if i >= n:
                    break
                frag = s[idx:i + 1]
                f = fget(frag)
            if best is None:  # no word starts here: the character alone, with count 1
                best = 0.0 - logtotal + prob[idx + 1]
            prob[idx] = best
            nxt[idx] = bx + 1

    def _tail_route(self, run: str, lo: int) -> list[int]:
        """The route of ``run`` from ``lo`` on (``nxt[i]`` for ``i >= lo``, as :meth:`_route`
        gives it). The route last asked for is kept: when this is the same string object
        and the dictionary has not changed, only the part left of what it covered is run
        (the proofs of :meth:`starts_word` at several places of one run, then its cut)."""
        tk = self.tk
        freq = tk.FREQ
        kept = self._tail
        if kept is not None and kept[0] is run and kept[4] == tk.total and kept[5] is freq \
                and kept[6] == len(freq):
            have, prob, nxt = kept[1], kept[2], kept[3]
            if lo < have:
                self._fill_route(run, prob, nxt, lo, have)
                self._tail = (run, lo, prob, nxt, tk.total, freq, len(freq))
            return nxt
        n = len(run)
        prob = [0.0] * (n + 1)
        nxt = list(range(1, n + 2))
        self._fill_route(run, prob, nxt, lo, n)
        self._tail = (run, lo, prob, nxt, tk.total, freq, len(freq))
        return nxt

    def forget(self) -> None:
        """Drop the route kept by :meth:`_tail_route` (a new text: its runs are new strings)."""
        self._tail = None

    # -- jieba's __cut_DAG / __cut_DAG_NO_HMM ------------------------------------------------
    def _block_hmm(self, s: str, out: list[str], nxt: list[int] | None = None) -> None:
        if nxt is None:
            nxt = self._route(s)
        fget = self.tk.FREQ.get
        n = len(s)
        x = 0
        buf_start = -1
        while x < n:
            y = nxt[x]
            if y - x == 1:
                if buf_start < 0:
                    buf_start = x
            else:
                if buf_start >= 0:
                    self._flush(s[buf_start:x], fget, out)
                    buf_start = -1
                out.append(s[x:y])
            x = y
        if buf_start >= 0:
            self._flush(s[buf_start:], fget, out)

    def _flush(self, buf: str, fget: Any, out: list[str]) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not fget(buf):
            self._hmm_cut(buf, out)
        else:
            out.extend(buf)

    def _block_no_hmm(self, s: str, out: list[str], nxt: list[int] | None = None) -> None:
        if nxt is None:
            nxt = self._route(s)
        n = len(s)
        x = 0
        buf = ""
        eng = _RE_ENG.match
        while x < n:
            y = nxt[x]
            word = s[x:y]
            if y - x == 1 and eng(word):
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)

    # -- jieba.finalseg.cut --------------------------------------------------------------------
    def _hmm_cut(self, sentence: str, out: list[str]) -> None:
        for blk in _HMM_HAN.split(sentence):
            if _HMM_HAN.match(blk):
                for word in self._viterbi_words(blk):
                    if word not in _FORCE_SPLIT:
                        out.append(word)
                    else:
                        out.extend(word)
            else:
                out.extend(x for x in _HMM_SKIP.split(blk) if x)

    def _emission(self, ch: str) -> tuple[float, float, float, float]:
        e = self._emit.get(ch)
        if e is None:
            e = self._emit[ch] = (_EMIT["B"].get(ch, _MIN), _EMIT["M"].get(ch, _MIN),
                                  _EMIT["E"].get(ch, _MIN), _EMIT["S"].get(ch, _MIN))
        return e

    def _viterbi_words(self, s: str) -> list[str]:
        """finalseg's ``__cut``: its Viterbi states, then the words they spell."""
        emission = self._emission
        eb, em, ee, es = emission(s[0])
        vb, vm, ve, vs = _SB + eb, _SM + em, _SEND + ee, _SE + es
        back: list[tuple[str, str, str, str]] = []  # per step: the previous state of B, M, E, S
        for ch in s[1:]:
            eb, em, ee, es = emission(ch)
            # each state takes the larger of its two predecessors; a tie goes to the
            # later letter, as max() of (prob, state) tuples does in finalseg
            p1, p2 = ve + _T_EB + eb, vs + _T_SB + eb
            nb, bb = (p2, "S") if p2 >= p1 else (p1, "E")
            p1, p2 = vm + _T_MM + em, vb + _T_BM + em
            nm, bm = (p1, "M") if p1 >= p2 else (p2, "B")
            p1, p2 = vs + _T_SS + es, ve + _T_ES + es
            ns, bs = (p1, "S") if p1 >= p2 else (p2, "E")
            p1, p2 = vb + _T_BE + ee, vm + _T_ME + ee
            ne, be = (p2, "M") if p2 >= p1 else (p1, "B")
            back.append((bb, bm, be, bs))
            vb, vm, ve, vs = nb, nm, ne, ns
        state = "S" if vs >= ve else "E"
        n = len(s)
        states = [""] * n
        states[n - 1] = state
        for t in range(n - 1, 0, -1):
            bb, bm, be, bs = back[t - 1]
            state = bb if state == "B" else bm if state == "M" else be if state == "E" else bs
            states[t - 1] = state
        words: list[str] = []
        begin = nexti = 0
        for i, pos in enumerate(states):
            if pos == "B":
                begin = i
            elif pos == "E":
                words.append(s[begin:i + 1])
                nexti = i + 1
            elif pos == "S":
                words.append(s[i])
                nexti = i + 1
        if nexti < n:
            words.append(s[nexti:])
        return words

    def _longest_key(self, freq: dict[str, int]) -> int:
        """The length of the longest key of the prefix dictionary (recomputed when it grows)."""
        fid, size, longest = self._key_len
        if fid != id(freq) or size != len(freq):
            longest = max(map(len, freq), default=1)
            self._key_len = (id(freq), len(freq), longest)
        return longest

    def starts_word(self, run: str, pos: int) -> bool:
        """True when a token of :meth:`cut_run` (with or without the HMM) provably begins at
        ``pos`` (``0 < pos < len(run)``), found without cutting ``run[:pos]``; False when that
        is not proved (cut the run to know), or when more than :data:`PROOF_MAX` characters
        follow ``pos``.

        No key of the prefix dictionary spans ``pos`` (every word is reached through its
        prefixes, so no word crosses it): every route of the run passes ``pos``, and jieba's
        route from ``pos`` on is the one of ``run[pos:]``, the same values and ties (the
        programme runs right to left). When that route's first step is a word of two or more
        characters, no buffer of single characters (the HMM's, or the Latin run without it)
        reaches across ``pos``, so a token begins there (tests/test_jiebacut.py).
        """
        if len(run) - pos > PROOF_MAX:
            return False  # the route of a long rest costs its length: cut the run once instead
        tk = self.tk
        if not tk.initialized:
            tk.initialize()
        freq = tk.FREQ
        for i in range(max(0, pos + 1 - self._longest_key(freq)), pos):
            if run[i:pos + 1] in freq:
                return False
        return self._tail_route(run, pos)[pos] - pos >= 2

    def cut_run(self, run: str, hmm: bool = True) -> list[str]:
        """The tokens of one run of :data:`RE_HAN` characters: what :meth:`cut` gives for
        that run inside any text (jieba cuts each run on its own)."""
        if not self.tk.initialized:
            self.tk.initialize()
        out: list[str] = []
        # the route of the run: what the proofs of starts_word over it computed is reused
        (self._block_hmm if hmm else self._block_no_hmm)(run, out, self._tail_route(run, 0))
        return out

    # -- jieba.Tokenizer.cut (accurate mode) ---------------------------------------------------
    def cut(self, sentence: str, hmm: bool = True) -> list[str]:
        """The tokens ``jieba.Tokenizer.cut(sentence, HMM=hmm)`` yields, as a list."""
        if not self.tk.initialized:
            self.tk.initialize()
        out: list[str] = []
        block = self._block_hmm if hmm else self._block_no_hmm
        han_match = _RE_HAN.match
        skip_match = _RE_SKIP.match
        for blk in _RE_HAN.split(sentence):
            if not blk:
                continue
            if han_match(blk):
                block(blk, out)
            else:
                for x in _RE_SKIP.split(blk):
                    if skip_match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out
