"""Regenerate a package's re-export __init__.py from its modules: python scripts/reexport.py src/mentormesh/experts/services "Docstring."."""
import re, sys, pathlib
pkg = pathlib.Path(sys.argv[1]); doc = sys.argv[2]
mods = sorted(p.stem for p in pkg.glob("*.py") if p.stem != "__init__")
base = ".".join(pkg.resolve().parts[pkg.resolve().parts.index("mentormesh"):])
out = [f'"""{doc}"""', "", "from __future__ import annotations", ""]
names_all = []
for m in mods:
    src = (pkg / f"{m}.py").read_text()
    names = re.findall(r"^(?:def|class) ([A-Za-z]\w*)", src, re.M) + re.findall(r"^([A-Z][A-Z0-9_]*)(?::[^=]*)? = ", src, re.M)
    names = sorted(set(names), key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    if not names: continue
    out.append(f"from {base}.{m} import (")
    out += [f"    {n}," for n in names]
    out.append(")")
    names_all += names
out.append("")
out.append("__all__ = [")
out += [f'    "{n}",' for n in sorted(set(names_all), key=lambda n: (not n.isupper(), not n[0].isupper(), n))]
out.append("]")
(pkg / "__init__.py").write_text("\n".join(out) + "\n")
