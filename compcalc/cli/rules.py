"""compcalc rules: list every lint rule."""
from __future__ import annotations

import json

import click


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(fmt):
    """List every lint rule: code, severity, name and summary (`compcalc explain CODE` for one in full)."""
    from compcalc.lint import RULES

    infos = [rule.info() for rule in RULES.values()]
    if fmt == "json":
        click.echo(json.dumps(infos, indent=2, ensure_ascii=False))
        return
    width = max(len(i["name"]) for i in infos)
    for i in infos:
        click.echo(f"{i['code']}  {i['severity']:<7}  {i['name']:<{width}}  {i['summary']}")
