"""Option groups shared by the commands that read a book (run, why, whatif, accounting)."""
from __future__ import annotations

import contextlib
import errno
import functools
import signal

import click

from compcalc.periods import parse_period
from compcalc.schema import INPUTS, InputFile
from compcalc.workers import cycles_paused


def _period(ctx, param, value):
    if value is None:
        return None
    month = parse_period(value)
    if month is None:
        raise click.BadParameter(f"{value!r} is not a period (YYYY-MM)")
    return month


class PathsOption(click.Option):
    """A repeatable option that also takes several values after one flag, as SPEC §5 writes it:
    ``--plans a.yaml b.yaml`` is ``--plans a.yaml --plans b.yaml``. The values end at the next
    argument that starts with "-"."""

    def __init__(self, *args, **kwargs):
        kwargs["multiple"] = True
        super().__init__(*args, **kwargs)

    def add_to_parser(self, parser, ctx) -> None:
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if option is None:  # click's parser changed shape: keep the plain repeatable option
                continue
            take_one = option.process

            def take_all(value, state, take_one=take_one):
                take_one(value, state)
                while state.rargs and not state.rargs[0].startswith("-"):
                    take_one(state.rargs.pop(0), state)

            option.process = take_all


def plans_option(func):
    return click.option("--plans", "plans", cls=PathsOption, required=True, type=click.Path(),
                        metavar="DIR_OR_FILE...",
                        help="Plan files or folders of plan files (several after one --plans, or repeat it).")(func)


def repeatable_plans_option(func):
    """For commands with positional arguments (why), which a greedy --plans would swallow."""
    return click.option("--plans", "plans", multiple=True, required=True, type=click.Path(),
                        help="Plan file or folder of plan files (repeat --plans for several).")(func)


def input_option(f: InputFile, *, required: bool, help: str | None = None):
    return click.option(f.flag, f.name, required=required, type=click.Path(), help=help or f.help)


def book_inputs(func=None, *, greedy_plans: bool = True):
    """--plans, --roster, --deals and the optional input files."""
    if func is None:
        return functools.partial(book_inputs, greedy_plans=greedy_plans)
    options = [
        plans_option if greedy_plans else repeatable_plans_option,
        *(input_option(f, required=f.required) for f in INPUTS),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def through_option(func):
    return click.option("--through", required=True, callback=_period, metavar="YYYY-MM",
                        help="Last month of the run.")(func)


def _out_folder(ctx, param, value):
    from compcalc.outputs import out_folder_problem

    problem = out_folder_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem)
    return value


def out_option(func):
    """--out: checked before any work, so a bad folder costs nothing and the ledger is not touched."""
    return click.option("--out", required=True, type=click.Path(file_okay=False), callback=_out_folder,
                        help="Output folder: new, empty, or one compcalc wrote before (it is replaced whole).")(func)


def quiet_option(func):
    return click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(func)


def book_kwargs(kwargs: dict) -> dict:
    """The load_book arguments out of a command's keyword arguments."""
    keys = ("plans", *(f.name for f in INPUTS))
    return {k: kwargs.pop(k) for k in keys if k in kwargs}


class Terminated(SystemExit):
    """SIGTERM or SIGHUP, raised where the run is so that temp folders, workers and the ledger's
    transaction are cleaned up on the way out (the default action would just end the process)."""


@contextlib.contextmanager
def _stopped_cleanly():
    def stop(signum, frame):
        raise Terminated(128 + signum)

    previous = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, stop)
    except ValueError:  # not the main thread: nothing to install
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def handle_input_errors(func):
    """Turn InputError into its report on stderr and exit code 2 (never a traceback); the command runs
    with the cycle collector paused (compcalc.workers.cycles_paused)."""
    from compcalc.problems import InputError

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from compcalc.outputs import OutputFolderError  # pandas: when the command runs, not at start-up

        try:
            with _stopped_cleanly(), cycles_paused():
                return func(*args, **kwargs)
        except InputError as e:
            click.echo(e.report(), err=True)
            raise SystemExit(2)
        except OutputFolderError as e:  # the folder changed after --out was checked
            click.echo(f"Error: --out: {e}", err=True)
            raise SystemExit(2)
        except OSError as e:  # disk full, a folder gone read-only while writing: the temp folder is removed
            where = f" ({e.filename})" if e.filename else ""
            reason = "no space left on the disk" if e.errno == errno.ENOSPC else (e.strerror or str(e))
            click.echo(f"Error: cannot write the output: {reason}{where}; nothing was written", err=True)
            raise SystemExit(2)
    return wrapper


def check_book(book, month: int) -> None:
    """Before a command runs the book: a month before the first plan year is exit 2 (the same message
    for every command), and a plan that pays from an input file not given is a warning."""
    from compcalc.crediting import run_start
    from compcalc.periods import period

    first = run_start(book, month)
    if month < first:
        raise click.UsageError(f"{period(month)} is before the first plan year ({period(first)}): "
                               "nothing would be computed")
    for line in missing_inputs(book):
        click.echo(f"warning: {line}", err=True)


def missing_inputs(book) -> list[str]:
    """One line per input file that plans on the roster pay from but that was not given."""
    assigned = set(book.roster["plan_id"]) if len(book.roster) else set(book.plans)
    wanted: dict[str, list[str]] = {}
    for plan_id, plan in sorted(book.plans.items()):
        if plan_id not in assigned:
            continue
        for c in plan.components:
            if c.needs_input and c.needs_input not in book.sources:
                wanted.setdefault(c.needs_input, []).append(f"{plan_id} ({c.type} {c.id})")
    return [f"no --{name} given: {', '.join(uses)} pay{'s' if len(uses) == 1 else ''} nothing without it"
            for name, uses in sorted(wanted.items())]
