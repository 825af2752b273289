"""compcalc explain: one lint rule in full — why it matters, the anti-pattern and the fix."""
from __future__ import annotations

import click


@click.command("explain")
@click.argument("code")
def command(code):
    """Print rule CODE in full: summary, why it kills expansion, the anti-pattern and the best practice."""
    from compcalc.lint import RULES, get_rule
    from compcalc.lint.output import explain_text

    rule = get_rule(code)
    if rule is None:
        click.echo(f"unknown rule code {code!r}; known codes: {', '.join(RULES)} (see `compcalc rules`)", err=True)
        raise SystemExit(2)
    click.echo(explain_text(rule))
