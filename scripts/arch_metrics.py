"""Architecture metrics for docs/architecture.md: sizes, longest functions, bare kind/status
literals, import cycles between packages. Run: python scripts/arch_metrics.py"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
APP = ROOT / "app"
sys.path.insert(0, str(ROOT))

KIND_STATUS = {"deviation", "complaint", "lex_sarah", "received", "investigating",
               "awaiting_judgment", "judged", "answered", "closed"}


def files():
    return sorted(p for p in APP.rglob("*.py"))


def package_of(path: pathlib.Path) -> str:
    rel = path.relative_to(APP).parts
    return "app" if len(rel) == 1 else f"app/{rel[0]}"


def lines_per_package():
    out = defaultdict(int)
    for p in files():
        out[package_of(p)] += len(p.read_text().splitlines())
    return dict(sorted(out.items()))


def longest_functions(n=10):
    found = []
    for p in files():
        tree = ast.parse(p.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((node.end_lineno - node.lineno + 1,
                              f"{p.relative_to(ROOT)}:{node.name}"))
    return sorted(found, reverse=True)[:n]


def big_files(limit=500):
    return [(len(p.read_text().splitlines()), str(p.relative_to(ROOT))) for p in files()
            if len(p.read_text().splitlines()) > limit]


def bare_literals():
    """String constants equal to a kind or status value, outside workflow.py (docstrings
    excluded). Returns (count, {file: count})."""
    per_file = defaultdict(int)
    for p in files():
        if p.name == "workflow.py" and p.parent == APP:
            continue
        tree = ast.parse(p.read_text())
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                body = getattr(node, "body", [])
                if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    docstrings.add(id(body[0].value))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and node.value in KIND_STATUS and id(node) not in docstrings):
                per_file[str(p.relative_to(ROOT))] += 1
    return sum(per_file.values()), dict(per_file)


def package_imports():
    """{package: {package it imports}} over app's subpackages (module-level and local imports)."""
    graph = defaultdict(set)
    for p in files():
        src = package_of(p)
        mod_parts = list(p.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(p.read_text())
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod_parts[:-node.level]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                targets.append(mod)
                targets += [f"{mod}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets += [a.name for a in node.names]
            for t in targets:
                parts = t.split(".")
                if parts[0] != "app" or len(parts) < 2:
                    continue
                cand = APP / parts[1]
                dst = f"app/{parts[1]}" if cand.is_dir() else "app"
                if dst != src and dst != "app":
                    graph[src].add(dst)
    return graph


def cycles(graph):
    """Pairs of packages that import each other, directly or through others (strongly
    connected components of more than one package)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    direct = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph.get(b, ())})
    return out, direct


def main():
    print("## lines per package")
    total = 0
    for k, v in lines_per_package().items():
        print(f"{k:20} {v}")
        total += v
    print(f"{'total':20} {total}")
    print("## 10 longest functions")
    for n, name in longest_functions():
        print(f"{n:4} {name}")
    print("## files over 500 lines")
    for n, name in big_files():
        print(f"{n:4} {name}")
    count, per_file = bare_literals()
    print(f"## bare kind/status literals outside app/workflow.py: {count} in {len(per_file)} files")
    for k, v in sorted(per_file.items(), key=lambda kv: -kv[1]):
        print(f"{v:4} {k}")
    comps, direct = cycles(package_imports())
    print(f"## import cycles: {len(comps)} strongly connected groups; {len(direct)} direct pairs")
    for c in comps:
        print("  SCC:", " ".join(c))
    for a, b in direct:
        print(f"  {a} <-> {b}")
    dup = subprocess.run(["duplicates", "--repo", str(APP), "--most", "200", "--seconds", "60"],
                         capture_output=True, text=True).stdout
    print("## duplicates app:", dup.splitlines()[0] if dup else "(not run)")


if __name__ == "__main__":
    main()
