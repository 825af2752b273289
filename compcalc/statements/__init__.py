"""Statements and the payout register that a run hands out: Excel, HTML and (optionally) PDF.

``prepare(result, which)`` indexes the run and lists the statements to write (``which``: none, through
or all months); ``write_statements`` gathers and writes ``statements/<rep>_<YYYY-MM>.xlsx`` and
``.html`` for each, rendering over every core while the next ones are gathered; ``write_site`` writes
the run's ``index.html``; ``write_register``
writes ``payout_register_<YYYY-MM>.xlsx`` and ``.html`` for the run's last month; ``write_pdfs``
renders the HTML files to PDF with headless Chromium.
"""
from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, as_completed, wait
from pathlib import Path

from compcalc.periods import period
from compcalc.workers import cycles_collected, init_worker, stop
from compcalc.statements.html import render_register, render_statement
from compcalc.statements.model import Statement, StatementBook
from compcalc.statements.names import file_stems
from compcalc.statements.register import PayoutRegister, payout_register
from compcalc.statements.site import write_site
from compcalc.statements.xlsx import write_register_xlsx, write_statement_xlsx

CHOICES = ("none", "through", "all")
STATEMENTS_DIR = "statements"
CHUNK = 16  # statements per task: enough to amortise the hand-off, small enough for a smooth progress bar

__all__ = ["CHOICES", "Statement", "StatementBook", "PayoutRegister", "prepare", "statement_months",
           "write_statements", "write_register", "write_pdfs", "write_site", "payout_register", "render_statement"]


def statement_months(result, which: str) -> list[int]:
    if which not in CHOICES:
        raise ValueError(f"statements: {which!r} is not one of {', '.join(CHOICES)}")
    if which == "none":
        return []
    if which == "through":
        return [result.through_month]
    return list(range(result.first_month, result.through_month + 1))


def prepare(result, which: str = "through") -> tuple[StatementBook, list[tuple[str, int]]]:
    """The indexed run, and (rep, month) of each statement to write: for each month, every rep with a
    register row (a line, a draw or a carry)."""
    months = statement_months(result, which)
    book = StatementBook(result, months)
    return book, [(rep, m) for m in months for rep in book.reps(m)]


def _render(items, folder: str, through: int) -> int:
    folder = Path(folder)
    with cycles_collected():  # each statement's workbook is garbage with cycles once written
        for st, stem in items:
            write_statement_xlsx(st, folder / f"{stem}.xlsx")
            (folder / f"{stem}.html").write_text(render_statement(st, through), encoding="utf-8")
    return len(items)


def write_statements(book: StatementBook, keys, folder, progress=None, workers: int | None = None) -> list[Path]:
    """Gather and write each (rep, month) statement's .xlsx and .html into ``folder``; returns the
    HTML paths.

    Statements are rendered by ``workers`` processes (default: every core) while this process gathers
    the next ones, with a bounded number in flight; ``progress(n)`` is called as they are done.
    """
    keys = list(keys)
    if not keys:
        return []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stems = file_stems(sorted({rep for rep, _ in keys}))
    names = [f"{stems[rep]}_{period(m)}" for rep, m in keys]
    chunks = [list(zip(keys[i:i + CHUNK], names[i:i + CHUNK])) for i in range(0, len(keys), CHUNK)]
    workers = workers or os.cpu_count() or 1

    def gathered(chunk):
        return [(book.statement(rep, m), stem) for (rep, m), stem in chunk]

    if workers == 1 or len(chunks) < 2:
        for chunk in chunks:
            n = _render(gathered(chunk), str(folder), book.through)
            if progress is not None:
                progress(n)
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=init_worker,
                                   initargs=(os.getpid(),))
        try:
            pending = set()
            for chunk in chunks:
                pending.add(pool.submit(_render, gathered(chunk), str(folder), book.through))
                if len(pending) >= 3 * workers:  # keep memory bounded: wait for one before gathering more
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    _report(done, progress)
            _report(pending, progress, wait_all=True)
        except BaseException:
            stop(pool)
            raise
        pool.shutdown()
    return [folder / f"{name}.html" for name in names]


def _report(futures, progress, wait_all: bool = False) -> None:
    for done in (as_completed(futures) if wait_all else futures):
        n = done.result()
        if progress is not None:
            progress(n)


def write_register(book: StatementBook, folder, month: int | None = None) -> list[Path]:
    """``payout_register_<YYYY-MM>.xlsx`` and ``.html`` for ``month`` (default: the run's last)."""
    month = book.through if month is None else month
    reg = payout_register(book, month)
    folder = Path(folder)
    xlsx, html = folder / f"payout_register_{period(month)}.xlsx", folder / f"payout_register_{period(month)}.html"
    write_register_xlsx(reg, xlsx)
    html.write_text(render_register(reg), encoding="utf-8")
    return [xlsx, html]


def write_pdfs(html_paths, progress=None, executable: str | None = None) -> int:
    """A .pdf beside each .html, rendered by headless Chromium (see compcalc.statements.pdf)."""
    from compcalc.statements.pdf import html_to_pdf

    return html_to_pdf([(p, Path(p).with_suffix(".pdf")) for p in html_paths], progress=progress,
                       executable=executable)
