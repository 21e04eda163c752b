"""Which variables and filters a template uses, and whether the context has
them: the context of the bundled records, reduced to its shape, is the schema."""
from __future__ import annotations

from difflib import get_close_matches
from typing import Any, Optional

from jinja2 import nodes

LEAF = None


def schema_of(value: Any) -> Any:
    """The shape of a context: dicts keep their keys, lists one merged element."""
    if isinstance(value, dict):
        return {k: schema_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        merged: Any = LEAF
        for item in value:
            merged = merge(merged, schema_of(item))
        return {"[]": merged}
    return LEAF


def merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a.get(k), b.get(k)) if k in a and k in b else a.get(k, b.get(k)) for k in {**a, **b}}
    return a if isinstance(a, dict) else b


def _path(node: nodes.Node, scope: dict) -> Optional[tuple]:
    if isinstance(node, nodes.Name):
        if node.name in scope:
            return scope[node.name]
        return (node.name,)
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, scope)
        return None if base is None else base + (node.attr,)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, scope)
        return None if base is None else base + (node.arg.value,)
    return None


def used(ast: nodes.Template) -> tuple[list[tuple[tuple, int]], list[tuple[str, int]]]:
    """Variable paths (loop variables resolved to their list's element) and filters a template uses."""
    paths: list[tuple[tuple, int]] = []
    filters: list[tuple[str, int]] = []

    def walk(node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            walk(node.iter, scope)
            base = _path(node.iter, scope)
            inner = dict(scope, loop=None)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = None if base is None else base + ("[]",)
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                walk(child, inner)
            return
        if isinstance(node, nodes.Macro):  # its name and arguments are local names
            scope[node.name] = None
            inner = dict(scope, varargs=None, kwargs=None, caller=None, **{arg.name: None for arg in node.args})
            for child in [*node.defaults, *node.body]:
                walk(child, inner)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            walk(node.node, scope)
            scope[node.target.name] = None  # a local name: not checked
            return
        if isinstance(node, nodes.Filter):
            filters.append((node.name, node.lineno))
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            walk(node.node.node, scope)  # a method of a value: check the value only
            for child in [*node.args, *node.kwargs]:
                walk(child, scope)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) and getattr(node, "ctx", "load") == "load":
            path = _path(node, scope)
            if path is not None:
                paths.append((path, node.lineno))
                return
        for child in node.iter_child_nodes():
            walk(child, scope)

    walk(ast, {})
    return paths, filters


def unknown(path: tuple, schema: dict) -> Optional[str]:
    """None when ``path`` exists in ``schema``; else the message, with the nearest known name."""
    node: Any = schema
    for depth, part in enumerate(path):
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        shown = ".".join(p for p in path if p != "[]")
        if not isinstance(node, dict):
            return f"unknown variable '{shown}'"
        match = get_close_matches(str(part), [k for k in node if k != "[]"], n=1)
        hint = ""
        if match:
            fixed = [p for p in path[:depth] if p != "[]"] + [match[0]] + [p for p in path[depth + 1:] if p != "[]"]
            hint = f"; did you mean {'.'.join(fixed)}?"
        return f"unknown variable '{shown}'{hint}"
    return None
