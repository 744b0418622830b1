"""Legacy Word files (.doc, Word 97-2003), through a converter when one is installed.

The converters tried, in order: ``antiword`` (``apt-get install antiword``), ``catdoc``
(``apt-get install catdoc``), LibreOffice (``libreoffice --headless --convert-to txt``).
The text they give is read as plain text (paragraphs one per line). Without any, or when
the converter refuses the file, the error says which were tried and how to convert the
file by hand. A ".doc" that is really a web page or an RTF file (Word can save both under
that name) is read by its content, not here.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConverterError, FormatError
from .source import Source

__all__ = ["read_doc", "CONVERTERS"]

CONVERTERS = ("antiword", "catdoc", "libreoffice", "soffice")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TIMEOUT = 120
_HOW = ("install antiword (apt-get install antiword) or LibreOffice, or convert it: "
        "libreoffice --headless --convert-to docx FILE")


def read_doc(data: bytes, name: str = "<doc>") -> Source:
    """Read a legacy .doc file's bytes with the first converter installed."""
    if not data.startswith(_OLE):
        raise FormatError(name, "doc", "not a Word 97-2003 document (no OLE signature); the file is damaged "
                          "or not a Word file", "open it to see what it is")
    tried: list[str] = []
    with tempfile.TemporaryDirectory(prefix="unionie-doc-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        for tool in CONVERTERS:
            exe = shutil.which(tool)
            if exe is None:
                continue
            tried.append(tool)
            text, why = _convert(exe, tool, src, Path(tmp))
            if text is not None and text.strip():
                lines = [ln.strip() for ln in text.replace("\r\n", "\n").splitlines()]
                body = "\n".join(ln for ln in lines if ln)
                return Source(text=body + ("\n" if body else ""), format="doc", path=name,
                              meta={"converter": tool})
            last = why or "no text"
    if not tried:
        raise ConverterError(name, "doc", "a legacy Word 97-2003 file and no converter is installed", _HOW)
    raise ConverterError(name, "doc", f"{tried[-1]} could not convert it ({last})",
                         "the file may be damaged; open it in Word or LibreOffice and save it as .docx")


def _convert(exe: str, tool: str, src: Path, tmp: Path) -> tuple[str | None, str]:
    env = {**os.environ, "HOME": str(tmp)}  # LibreOffice writes a profile there
    if tool == "antiword":
        cmd = [exe, "-m", "UTF-8.txt", "-w", "0", str(src)]
    elif tool == "catdoc":
        cmd = [exe, "-d", "utf-8", "-w", str(src)]
    else:
        cmd = [exe, "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp), str(src)]
    try:
        run = subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    err = run.stderr.decode("utf-8", "replace").strip().splitlines()
    why = err[-1] if err else f"exit code {run.returncode}"
    if run.returncode != 0:
        return None, why
    if tool in ("libreoffice", "soffice"):
        out = tmp / "in.txt"
        return (out.read_text(encoding="utf-8-sig") if out.exists() else None), why
    return run.stdout.decode("utf-8", "replace"), why
