"""compcalc components: the component types a plan can use, with their parameters and an example."""
from __future__ import annotations

import json

import click


def _parameters(cls) -> list[dict]:
    out = []
    for name, field in cls.model_fields.items():
        if name in ("type",):
            continue
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        out.append({"name": field.alias or name, "required": field.is_required(),
                    "default": None if default is None else str(default)})
    return out


@click.command("components")
@click.argument("type_name", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(type_name, fmt):
    """List the component types plans can use, or show one in full (parameters and an example)."""
    from compcalc.components import REGISTRY

    if type_name and type_name not in REGISTRY:
        click.echo(f"unknown component type {type_name!r}; known: {', '.join(sorted(REGISTRY))}", err=True)
        raise SystemExit(2)
    names = [type_name] if type_name else sorted(REGISTRY)
    if fmt == "json":
        click.echo(json.dumps([{"type": n, "summary": REGISTRY[n].summary(), "parameters": _parameters(REGISTRY[n]),
                                "example": REGISTRY[n].example} for n in names], indent=2))
        return
    if not type_name:
        width = max(len(n) for n in names)
        for n in names:
            click.echo(f"{n:<{width}}  {REGISTRY[n].summary()}")
        return
    cls = REGISTRY[type_name]
    click.echo(f"{type_name}\n\n{cls.description()}\n\nParameters:")
    for p in _parameters(cls):
        click.echo(f"  {p['name']}: " + ("required" if p["required"] else f"default {p['default']}"))
    click.echo(f"\nExample:\n{cls.example}")
