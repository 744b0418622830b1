"""Run the Python examples of one documentation page, in page order, in this interpreter.

    python tests/_run_doc_page.py PAGE

Run by tests/test_docs.py in a scratch copy of the repository (one process per page).
Every ```python block runs in one namespace, so a later block may use an earlier
block's names; a block whose first line starts with ``>>>`` runs as a doctest
(ELLIPSIS and NORMALIZE_WHITESPACE) in the same namespace. ```python skip blocks are
not run. Prints one line per block; exits 1 at the first block that fails, with its
place in the page and what went wrong.
"""
from __future__ import annotations

import doctest
import importlib.util
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generate_module():
    spec = importlib.util.spec_from_file_location("unionie_docs_generate", ROOT / "docs" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def main(page: Path) -> int:
    gen = _generate_module()
    ns: dict = {"__name__": "__main__"}
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for block in gen.fenced_blocks(page):
        if block.lang != "python":
            continue
        if "skip" in block.flags:
            print(f"skip {block.where}", flush=True)
            continue
        if block.text.lstrip().startswith(">>>"):
            test = doctest.DocTestParser().get_doctest(block.text, ns, block.where, str(page), block.line)
            runner = doctest.DocTestRunner(optionflags=flags)
            out: list[str] = []
            runner.run(test, out=out.append, clear_globs=False)
            if runner.failures:
                print(f"FAIL {block.where} (doctest)\n" + "".join(out), flush=True)
                return 1
        else:
            try:
                code = compile("\n" * block.line + block.text, block.where, "exec")
                exec(code, ns)
            except BaseException:
                print(f"FAIL {block.where}\n{traceback.format_exc()}", flush=True)
                return 1
        print(f"ok   {block.where}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
