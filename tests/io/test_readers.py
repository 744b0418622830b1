"""Tests for unionie.io.readers: encodings, decode errors and path expansion."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from unionie.errors import DecodeError, InputError
from unionie.io.readers import decode_bytes, iter_paths, read_text

SIMPLIFIED = (
    "市总工会召开第十五届委员会第三次全体会议。全年共举办职工技能培训班326期，"
    "培训职工2.3万人次；筹集帮扶资金1200万元，慰问困难职工4500户；"
    "开展“金秋助学”活动，资助困难职工子女862名。\n"
)
TRADITIONAL = (
    "市總工會召開第十五屆委員會第三次全體會議。全年共舉辦職工技能培訓班326期，"
    "培訓職工2.3萬人次；籌集幫扶資金1200萬元，慰問困難職工4500戶；"
    "開展「金秋助學」活動，資助困難職工子女862名。\n"
)

ENCODED = [
    ("utf-8", SIMPLIFIED, lambda t: t.encode("utf-8")),
    ("utf-8-sig", SIMPLIFIED, lambda t: t.encode("utf-8-sig")),
    ("utf-16 le bom", SIMPLIFIED, lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    ("utf-16 be bom", SIMPLIFIED, lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    ("utf-16 native bom", SIMPLIFIED, lambda t: t.encode("utf-16")),
    ("utf-32 bom", SIMPLIFIED, lambda t: t.encode("utf-32")),
    ("utf-32 be bom", SIMPLIFIED, lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be")),
    ("gb18030", SIMPLIFIED, lambda t: t.encode("gb18030")),
    ("gbk", SIMPLIFIED, lambda t: t.encode("gbk")),
    ("gb2312", SIMPLIFIED, lambda t: t.encode("gb2312")),
    ("gb18030 four-byte char", "工会𠀀职工€\n" * 3, lambda t: t.encode("gb18030")),
    ("big5 traditional", TRADITIONAL, lambda t: t.encode("big5")),
    ("cp950 traditional", TRADITIONAL, lambda t: t.encode("cp950")),
    ("big5 short", "工會舉辦培訓", lambda t: t.encode("big5")),
    ("gbk short", "工会举办培训", lambda t: t.encode("gbk")),
    ("utf-16 le no bom", "Report 2023: 工会 report\n" * 10, lambda t: t.encode("utf-16-le")),
    ("utf-16 be no bom", "Report 2023: 工会 report\n" * 10, lambda t: t.encode("utf-16-be")),
    ("ascii", "union report 2023\n", lambda t: t.encode("ascii")),
    ("utf-8 with a nul", "工会\x00职工", lambda t: t.encode("utf-8")),
]


@pytest.mark.parametrize(
    ("text", "encode"), [pytest.param(t, e, id=name) for name, t, e in ENCODED]
)
def test_read_text_auto(tmp_path: Path, text: str, encode) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.txt"
    path.write_bytes(encode(text))
    assert read_text(path) == text
    assert read_text(str(path)) == text


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text(path) == ""
    assert read_text(path, encoding="gbk") == ""


def test_bom_only_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8)
    assert read_text(path) == ""


def test_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SIMPLIFIED.encode("gbk"))
    assert read_text(path, encoding="gbk") == SIMPLIFIED
    assert read_text(path, encoding="GB18030") == SIMPLIFIED


def test_explicit_encoding_error_names_offset(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("工会".encode("utf-8") + b"\xff")
    with pytest.raises(DecodeError) as info:
        read_text(path, encoding="utf-8")
    assert info.value.offset == 6
    assert info.value.encoding == "utf-8"
    assert "at byte 6" in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    with pytest.raises(InputError, match="no-such-codec"):
        read_text(path, encoding="no-such-codec")


@pytest.mark.parametrize(
    ("data", "offset", "encoding"),
    [
        pytest.param(SIMPLIFIED.encode() + b"\xff" + SIMPLIFIED.encode(),
                     len(SIMPLIFIED.encode()), "utf-8", id="utf-8 stray ff"),
        pytest.param(SIMPLIFIED.encode() + b"\xe5\xb7" + b"\n" + SIMPLIFIED.encode(),
                     len(SIMPLIFIED.encode()), "utf-8", id="utf-8 cut sequence"),
        pytest.param(SIMPLIFIED.encode()[:-1] + SIMPLIFIED.encode()[:-1] + b"\xe5",
                     2 * len(SIMPLIFIED.encode()) - 2, "utf-8", id="utf-8 truncated at end"),
        pytest.param(SIMPLIFIED.encode("gbk") + b"\x80" + SIMPLIFIED.encode("gbk"),
                     len(SIMPLIFIED.encode("gbk")), "gb18030", id="gbk stray 80"),
        pytest.param(TRADITIONAL.encode("big5") + b"\x80" + TRADITIONAL.encode("big5"),
                     len(TRADITIONAL.encode("big5")), "cp950", id="big5 stray 80"),
        pytest.param(codecs.BOM_UTF8 + "工会".encode() + b"\xff",
                     9, "utf-8", id="after utf-8 bom"),
        pytest.param(codecs.BOM_UTF16_LE + "工会".encode("utf-16-le") + b"\x00\xdc",
                     6, "utf-16-le", id="utf-16 lone surrogate"),
    ],
)
def test_invalid_byte_offset(tmp_path: Path, data: bytes, offset: int, encoding: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(DecodeError) as info:
        read_text(path)
    err = info.value
    assert err.offset == offset
    assert err.encoding == encoding
    assert err.path == str(path)
    assert f"at byte {offset}" in str(err)
    assert err.code == "U301"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 40, id="all bytes"),
        pytest.param(b"\x00\x01\x02\x03" * 1000 + b"text", id="nul and controls"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00", id="docx zip"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", id="doc ole"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="png"),
    ],
)
def test_binary_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(DecodeError, match="binary file") as info:
        read_text(path)
    assert str(path) in str(info.value)


def test_decode_error_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError):
        read_text(path)


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt"):
        read_text(tmp_path / "nope.txt")


def test_decode_bytes_names_source() -> None:
    assert decode_bytes(SIMPLIFIED.encode("gbk"), "<stdin>") == SIMPLIFIED
    with pytest.raises(DecodeError, match="<stdin>"):
        decode_bytes(b"\x00\x01\x02" * 100, "<stdin>")


def test_latin1_falls_back_to_detection() -> None:
    # neither UTF-8 nor Chinese: charset-normalizer's guess is used
    text = decode_bytes("“Quoted” — report, ‘2023’.\n".encode("cp1252") * 5)
    assert text == "“Quoted” — report, ‘2023’.\n" * 5


# ----------------------------------------------------------------- iter_paths


def _tree(root: Path) -> None:
    for rel in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.txt", "a-z.txt", "sub/x.md",
                "B2.txt", "notes.TXT"]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(rel, encoding="utf-8")


def test_iter_paths_folder_sorted_recursive(tmp_path: Path) -> None:
    _tree(tmp_path)
    got = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])]
    assert got == ["B2.txt", "a-z.txt", "a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]


def test_iter_paths_is_deterministic(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert list(iter_paths([tmp_path])) == list(iter_paths([str(tmp_path)]))


def test_iter_paths_glob(tmp_path: Path) -> None:
    _tree(tmp_path)
    got = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path], glob="*.md")]
    assert got == ["sub/x.md"]
    got = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path], glob="*")]
    assert "sub/x.md" in got and "notes.TXT" in got and "sub" not in got


def test_iter_paths_files_as_given(tmp_path: Path) -> None:
    _tree(tmp_path)
    files = [tmp_path / "sub" / "x.md", tmp_path / "b.txt", tmp_path / "a.txt"]
    assert list(iter_paths(files)) == files  # given order, glob not applied


def test_iter_paths_mixed(tmp_path: Path) -> None:
    _tree(tmp_path)
    got = list(iter_paths([tmp_path / "b.txt", tmp_path / "sub"]))
    assert got == [tmp_path / "b.txt", tmp_path / "sub" / "c.txt",
                   tmp_path / "sub" / "deeper" / "d.txt"]


def test_iter_paths_single_path(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert list(iter_paths(tmp_path / "a.txt")) == [tmp_path / "a.txt"]  # type: ignore[arg-type]


def test_iter_paths_missing_raises_before_yielding(tmp_path: Path) -> None:
    _tree(tmp_path)
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError, match="missing.txt"):
        iter_paths([tmp_path / "a.txt", missing])


def test_iter_paths_empty_folder(tmp_path: Path) -> None:
    assert list(iter_paths([tmp_path])) == []
