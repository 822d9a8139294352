#!/usr/bin/python3
"""The library's modules call one another in one direction only.

Usage: modules.py libbordermap.a

Reads the symbols each object file of the static library defines and uses
(nm), draws the graph "module A calls a function of module B", and fails
when it has a cycle (two modules that call each other, directly or
through others), printing the cycle and the functions that close it.
"""
import collections
import subprocess
import sys


def symbols(lib):
    out = subprocess.run(["nm", "-A", lib], capture_output=True, text=True, check=True).stdout
    defined, used = {}, collections.defaultdict(set)
    for line in out.splitlines():
        head, _, rest = line.rpartition(":")
        module = head.rpartition(":")[2].removesuffix(".c.o")
        fields = rest.split()
        if len(fields) < 2:
            continue
        kind, name = fields[-2], fields[-1]
        if kind in "TDBR":
            defined[name] = module
        elif kind == "U":
            used[module].add(name)
    return defined, used


def call_graph(defined, used):
    calls = collections.defaultdict(dict)
    for module, names in used.items():
        for name in sorted(names):
            owner = defined.get(name)
            if owner and owner != module:
                calls[module].setdefault(owner, name)
    return calls


def find_cycle(calls):
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(calls.get(m, {})):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                cycle = visit(n)
                if cycle:
                    return cycle
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(calls):
        if m not in state:
            cycle = visit(m)
            if cycle:
                return cycle
    return None


def main():
    defined, used = symbols(sys.argv[1])
    calls = call_graph(defined, used)
    if len(calls) < 10:
        print(f"only {len(calls)} modules call others: not the library?", file=sys.stderr)
        return 1
    cycle = find_cycle(calls)
    if cycle:
        steps = [f"{a} calls {b} ({calls[a][b]})" for a, b in zip(cycle, cycle[1:])]
        print("modules call each other: " + "; ".join(steps), file=sys.stderr)
        return 1
    print(f"{len(calls)} modules, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
