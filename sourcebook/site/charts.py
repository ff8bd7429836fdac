"""Static, accessible SVG charts, drawn at build time as strings.

No chart library and no JavaScript: each function returns one ``<svg>`` element (the root of
its own XML document, with the SVG namespace) that a template inlines with ``Markup(...)``.

- Every piece of text is escaped with ``html.escape``; labels are whitespace-collapsed and
  stripped of control characters, so the output is well-formed XML and valid HTML5.
- Output is deterministic: coordinates are printed with one decimal, layout depends only on
  the input (text widths are estimated from character counts, never measured).
- The root carries ``role="group"`` (not ``img``: an image's children are presentational, and
  the labels are links a keyboard must reach) and ``aria-labelledby`` naming its ``<title>``
  and ``<desc>``, whose ids start with ``id_prefix`` so several charts can share a page.
- It scales with ``viewBox`` and ``width="100%"``; height follows from the aspect ratio.
- Every mark has a ``<title>`` child for a hover tooltip; labels link with SVG 2 ``href``.
- Colours are explicit presentation attributes, drawn on a white background, and every text
  colour has at least 4.5:1 contrast (WCAG AA) against what it sits on; every element has a
  ``chart-*`` class (matrix cells also ``chart-step-N``), so a page's stylesheet can recolour
  the chart from its own custom properties (CSS beats presentation attributes): the theme does
  so for dark mode. A chart saved on its own keeps the light colours.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from .timebins import Period, YearMonth, period_of, timeline_periods, whole_year

SVG_NS = "http://www.w3.org/2000/svg"
LABEL_LIMIT = 40  # characters shown of a row or column label; the rest goes to a <title>

FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif"
FONT_SIZE = 12.0  # labels
SMALL_SIZE = 11.0  # counts and axis ticks
CHAR_WIDTH = 0.6  # estimated advance of one character, as a fraction of the font size

BACKGROUND = "#ffffff"
INK = "#1d1b18"  # text: 16.9:1 on white
MUTED = "#57524a"  # secondary text: 7.9:1 on white
LINK = "#7a2e12"  # linked labels (the site's accent): 9.4:1 on white
RULE = "#ddd6ca"  # grid lines and cell borders (not text)
DOT = "#7a2e12"  # timeline circles; white counts on them: 9.4:1
DOT_TEXT = "#ffffff"
THIN_TEXT = "#8c1c13"  # the "thin" marker: 8.0:1 on its background
THIN_FILL = "#fbeae7"

# Matrix cell shades: (lowest count of the step, fill, text colour). Every text colour has
# at least 4.5:1 contrast on its fill; a count of 0 gets a white cell with a thin border.
MATRIX_STEPS: tuple[tuple[int, str, str], ...] = (
    (0, "#ffffff", MUTED),
    (1, "#f7e6d7", INK),
    (2, "#e9b994", INK),
    (4, "#c0703f", "#000000"),
    (7, "#7a2e12", "#ffffff"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class TimelineSeries:
    """One topic's row of the timeline chart."""

    topic_id: str
    label: str  # topic title
    href: str  # link to the topic page (relative URL)
    dates: tuple[YearMonth, ...]  # one (year, month or None) per dated fact of the topic


@dataclass(frozen=True)
class MatrixRow:
    """One source's row of the coverage matrix."""

    label: str  # source label, e.g. "Rediff.com, 26 February 2022"
    href: str  # link to the source page
    counts: tuple[int, ...]  # facts from this source per topic, in column order


@dataclass(frozen=True)
class MatrixColumn:
    """One topic's column of the coverage matrix."""

    label: str
    href: str
    total_sources: int  # how many sources cover this topic (>= 1 supporting fact)


# --- shared helpers ---


def _num(x: float) -> str:
    """A coordinate with one decimal, never "-0.0"."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _clean(text: str) -> str:
    """Collapse whitespace and drop control characters that XML cannot carry."""
    return " ".join(_CONTROL.sub("", text).split())


def _truncate(text: str, limit: int = LABEL_LIMIT) -> str:
    text = _clean(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _attrs(**attrs: str) -> str:
    """Attributes in the order given; a trailing underscore is dropped (class_ -> class)."""
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _check_prefix(id_prefix: str) -> None:
    if not id_prefix or any(c.isspace() for c in id_prefix):
        raise ValueError(f"id_prefix must be non-empty and without spaces: {id_prefix!r}")


def _open_svg(kind: str, width: float, height: float, id_prefix: str, title: str,
              description: str) -> list[str]:
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return [
        f"<svg{_attrs(xmlns=SVG_NS, class_=f'chart-svg chart-{kind}')}"
        f' viewBox="0 0 {_num(width)} {_num(height)}" width="100%"'
        f"{_attrs(role='group', aria_labelledby=f'{title_id} {desc_id}')}"
        f"{_attrs(font_family=FONT_FAMILY)} font-size=\"{_num(FONT_SIZE)}\">",
        f"<title{_attrs(id=title_id)}>{escape(_clean(title))}</title>",
        f"<desc{_attrs(id=desc_id)}>{escape(_clean(description))}</desc>",
        f'<rect class="chart-bg" x="0.0" y="0.0" width="{_num(width)}" height="{_num(height)}"'
        f' fill="{BACKGROUND}"/>',
    ]


def _link_label(href: str, label: str, x: float, y: float, *, anchor: str,
                transform: str = "") -> str:
    """A linked, possibly truncated label; the full label is the link's tooltip."""
    extra = f' transform="{transform}"' if transform else ""
    return (f'<a class="chart-link"{_attrs(href=href)}>'
            f"<title>{escape(_clean(label))}</title>"
            f'<text class="chart-label" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"'
            f' fill="{LINK}"{extra}>{escape(_truncate(label))}</text></a>')


# --- timeline: facts per topic and period (a year, or the quarters or months of a dense one) ---

TL_PAD = 8.0  # outer margin
TL_GAP = 12.0  # between row labels and the plot
TL_COL = 36.0  # width of one column (a year, quarter or month)
TL_ROW = 40.0  # height of one topic row
TL_RADIUS = 15.0  # radius of the largest circle
TL_AXIS = 30.0  # room below the plot for ticks and their labels
TL_YEARS = 18.0  # more room below the ticks for the years of split years
TL_KEY = 2 * TL_RADIUS + 12.0  # room for the key to circle sizes
KEY_TITLE = "Circle area shows the number of facts:"
MAX_EMPTY_YEARS = 3


def timeline_radius(count: int, max_count: int) -> float:
    """Circle radius whose area is proportional to count (the largest gets TL_RADIUS)."""
    if count <= 0 or max_count <= 0:
        return 0.0
    return TL_RADIUS * math.sqrt(count / max_count)


def key_counts(max_count: int) -> tuple[int, ...]:
    """The counts the key to circle sizes shows: 1, half the largest and the largest."""
    return tuple(sorted({n for n in (1, max_count // 2, max_count) if n >= 1}))


def timeline_svg(series: Sequence[TimelineSeries], *, id_prefix: str, title: str,
                 description: str) -> str:
    """One row per topic and one column per period (see ``timebins``: a year, or the quarters
    of a year dense with facts, or the months of a dense quarter) from the first year to the
    last; a run of MAX_EMPTY_YEARS or more years with no data becomes one narrow "…" column, so
    one old fact does not squeeze the rest. One circle per topic and period with facts, its
    area proportional to their number; below, a key to circle sizes. No dates at all: ""."""
    _check_prefix(id_prefix)
    periods = timeline_periods([s.dates for s in series])
    if not periods:
        return ""
    counts = [Counter(period_of(periods, date) for date in s.dates) for s in series]
    max_count = max(n for c in counts for n in c.values())
    columns = _columns(periods)

    label_w = max(_text_width(_truncate(s.label), FONT_SIZE) for s in series)
    plot_x = TL_PAD + label_w + TL_GAP
    plot_w = len(columns) * TL_COL
    axis_y = TL_PAD + len(series) * TL_ROW
    key_y = axis_y + TL_AXIS + (TL_YEARS if any(p and p.split for p in columns) else 0)
    key, key_w = _size_key(max_count, TL_PAD, key_y + TL_KEY / 2)
    width = max(plot_x + plot_w, TL_PAD + key_w) + TL_PAD
    height = key_y + TL_KEY

    def column_x(i: int) -> float:
        return plot_x + i * TL_COL + TL_COL / 2

    x_of = {p: column_x(i) for i, p in enumerate(columns) if p is not None}
    out = _open_svg("timeline", width, height, id_prefix, title, description)

    out.append('<g class="chart-grid">')
    for x in x_of.values():
        out.append(f'<line x1="{_num(x)}" y1="{_num(TL_PAD)}" x2="{_num(x)}" y2="{_num(axis_y)}"'
                   f' stroke="{RULE}" stroke-width="1"/>')
    out.append("</g>")
    out.extend(_timeline_axis(columns, column_x, plot_x, plot_w, axis_y))

    for i, (s, row) in enumerate(zip(series, counts, strict=True)):
        cy = TL_PAD + i * TL_ROW + TL_ROW / 2
        out.append('<g class="chart-row">')
        out.append(_link_label(s.href, s.label, plot_x - TL_GAP, cy + 0.35 * FONT_SIZE,
                               anchor="end"))
        for period in sorted(row):
            tip = f"{period.label}: {_plural(row[period], 'fact')} on {_clean(s.label)}"
            out.extend(_timeline_mark(tip, row[period], x_of[period], cy,
                                      timeline_radius(row[period], max_count)))
        out.append("</g>")

    out.extend(key)
    out.append("</svg>")
    return "\n".join(out)


def _columns(periods: list[Period]) -> list[Period | None]:
    """Every year from the first to the last (as its periods, or whole if it has no data),
    except that a gap of MAX_EMPTY_YEARS or more empty years becomes one None (drawn "…")."""
    by_year: dict[int, list[Period]] = {}
    for period in periods:
        by_year.setdefault(period.year, []).append(period)
    years = sorted(by_year)
    columns: list[Period | None] = list(by_year[years[0]])
    for before, year in itertools.pairwise(years):
        if year - before - 1 >= MAX_EMPTY_YEARS:
            columns.append(None)
        else:
            columns.extend(whole_year(y) for y in range(before + 1, year))
        columns.extend(by_year[year])
    return columns


def _timeline_axis(columns: list[Period | None], column_x: Callable[[int], float],
                   plot_x: float, plot_w: float, axis_y: float) -> list[str]:
    """The axis line, a tick and label per column, and under the ticks of a split year its
    year, centred below a bracket over its columns."""
    out = ['<g class="chart-axis">',
           f'<line x1="{_num(plot_x)}" y1="{_num(axis_y)}" x2="{_num(plot_x + plot_w)}"'
           f' y2="{_num(axis_y)}" stroke="{MUTED}" stroke-width="1"/>']
    for i, period in enumerate(columns):
        x = _num(column_x(i))
        if period is not None:
            out.append(f'<line x1="{x}" y1="{_num(axis_y)}" x2="{x}" y2="{_num(axis_y + 4)}"'
                       f' stroke="{MUTED}" stroke-width="1"/>')
        out.append(f'<text class="chart-tick" x="{x}" y="{_num(axis_y + 18)}"'
                   f' text-anchor="middle" font-size="{_num(SMALL_SIZE)}"'
                   f' fill="{INK}">{"…" if period is None else escape(period.tick)}</text>')
    split = [(i, p.year) for i, p in enumerate(columns) if p is not None and p.split]
    for year, group in itertools.groupby(split, key=lambda item: item[1]):
        indexes = [i for i, _ in group]
        left = column_x(indexes[0]) - TL_COL / 2 + 3
        right = column_x(indexes[-1]) + TL_COL / 2 - 3
        y = axis_y + 24
        out.append(f'<path d="M{_num(left)} {_num(y - 3)}V{_num(y)}H{_num(right)}'
                   f'V{_num(y - 3)}" fill="none" stroke="{MUTED}" stroke-width="1"/>')
        out.append(f'<text class="chart-year" x="{_num((left + right) / 2)}"'
                   f' y="{_num(y + 14)}" text-anchor="middle" font-size="{_num(SMALL_SIZE)}"'
                   f' fill="{INK}">{year}</text>')
    out.append("</g>")
    return out


def _size_key(max_count: int, x: float, cy: float) -> tuple[list[str], float]:
    """The key to circle sizes (a circle and its count in words for each of key_counts),
    and its width."""
    start = x
    out = ['<g class="chart-legend">',
           f'<text x="{_num(x)}" y="{_num(cy + 0.35 * SMALL_SIZE)}"'
           f' font-size="{_num(SMALL_SIZE)}" fill="{INK}">{escape(KEY_TITLE)}</text>']
    x += _text_width(KEY_TITLE, SMALL_SIZE) + 10
    for count in key_counts(max_count):
        r = timeline_radius(count, max_count)
        words = _plural(count, "fact")
        out.append(f'<circle class="chart-dot" cx="{_num(x + r)}" cy="{_num(cy)}"'
                   f' r="{_num(r)}" fill="{DOT}"/>')
        out.append(f'<text x="{_num(x + 2 * r + 4)}" y="{_num(cy + 0.35 * SMALL_SIZE)}"'
                   f' font-size="{_num(SMALL_SIZE)}" fill="{INK}">{words}</text>')
        x += 2 * r + 4 + _text_width(words, SMALL_SIZE) + 14
    out.append("</g>")
    return out, x - 14 - start


def _timeline_mark(tip: str, count: int, cx: float, cy: float, r: float) -> list[str]:
    digits = str(count)
    baseline = cy + 0.35 * SMALL_SIZE
    if 2 * r >= max(_text_width(digits, SMALL_SIZE) + 4, SMALL_SIZE + 3):  # fits inside
        number = (f'<text class="chart-count" x="{_num(cx)}" y="{_num(baseline)}"'
                  f' text-anchor="middle" font-size="{_num(SMALL_SIZE)}"'
                  f' fill="{DOT_TEXT}">{digits}</text>')
    else:
        number = (f'<text class="chart-count" x="{_num(cx + r + 2)}" y="{_num(baseline)}"'
                  f' text-anchor="start" font-size="{_num(SMALL_SIZE)}"'
                  f' fill="{INK}">{digits}</text>')
    return ['<g class="chart-mark">',
            f"<title>{escape(tip)}</title>",
            f'<circle class="chart-dot" cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}"'
            f' fill="{DOT}"/>',
            number,
            "</g>"]


# --- coverage matrix: sources x topics ---

MX_PAD = 8.0
MX_GAP = 10.0  # between row labels and the grid
MX_CELL_W = 36.0
MX_CELL_H = 26.0
MX_SIN = math.sqrt(0.5)  # column headers are rotated by -45 degrees
MX_FOOT = 46.0  # room below the grid for the sources-per-topic row and the thin markers
THIN_LABEL = "thin"
NONE_LABEL = "none"


def matrix_step(count: int) -> tuple[str, str]:
    """(fill, text colour) of a cell holding count."""
    fill, ink = MATRIX_STEPS[0][1], MATRIX_STEPS[0][2]
    for lowest, step_fill, step_ink in MATRIX_STEPS:
        if count >= lowest:
            fill, ink = step_fill, step_ink
    return fill, ink


def matrix_step_index(count: int) -> int:
    """Index into MATRIX_STEPS of a cell holding count (its ``chart-step-N`` class, which the
    theme's stylesheet uses to recolour the cell, e.g. in dark mode)."""
    return max(i for i, (lowest, _, _) in enumerate(MATRIX_STEPS) if count >= lowest or i == 0)


def is_thin(column: MatrixColumn) -> bool:
    """A topic that rests on exactly one source."""
    return column.total_sources == 1


def matrix_svg(rows: Sequence[MatrixRow], columns: Sequence[MatrixColumn], *, id_prefix: str,
               title: str, description: str) -> str:
    """A grid of sources (rows) by topics (columns), each cell shaded by its count and
    printing it, with a footer of sources per topic marking single-source topics "thin"
    (and topics with no source "none"). No rows or no columns: ""."""
    _check_prefix(id_prefix)
    if not rows or not columns:
        return ""
    for row in rows:
        if len(row.counts) != len(columns):
            raise ValueError(f"matrix row {row.label!r} has {len(row.counts)} counts "
                             f"for {len(columns)} columns")
        if any(count < 0 for count in row.counts):
            raise ValueError(f"matrix row {row.label!r} has a negative count")
    if any(c.total_sources < 0 for c in columns):
        raise ValueError("a matrix column has a negative total_sources")

    foot_label = "Sources per topic"
    label_w = max([_text_width(_truncate(r.label), FONT_SIZE) for r in rows]
                  + [_text_width(foot_label, FONT_SIZE)])
    grid_x = MX_PAD + label_w + MX_GAP
    header_extents = [_text_width(_truncate(c.label), FONT_SIZE) * MX_SIN for c in columns]
    grid_y = MX_PAD + max(header_extents) + FONT_SIZE
    grid_w = len(columns) * MX_CELL_W
    grid_h = len(rows) * MX_CELL_H

    def col_x(j: int) -> float:  # centre of column j
        return grid_x + j * MX_CELL_W + MX_CELL_W / 2

    right = max([grid_x + grid_w]
                + [col_x(j) + e + FONT_SIZE for j, e in enumerate(header_extents)])
    width = right + MX_PAD
    height = grid_y + grid_h + MX_FOOT + MX_PAD

    out = _open_svg("matrix", width, height, id_prefix, title, description)

    out.append('<g class="chart-columns">')
    for j, column in enumerate(columns):
        x, y = col_x(j) - 2, grid_y - 6
        out.append(_link_label(column.href, column.label, x, y, anchor="start",
                               transform=f"rotate(-45 {_num(x)} {_num(y)})"))
    out.append("</g>")

    for i, row in enumerate(rows):
        top = grid_y + i * MX_CELL_H
        out.append('<g class="chart-row">')
        out.append(_link_label(row.href, row.label, grid_x - MX_GAP,
                               top + MX_CELL_H / 2 + 0.35 * FONT_SIZE, anchor="end"))
        for j, (column, count) in enumerate(zip(columns, row.counts, strict=True)):
            fill, ink = matrix_step(count)
            left = grid_x + j * MX_CELL_W
            tip = f"{_clean(row.label)} — {_clean(column.label)}: {_plural(count, 'fact')}"
            out.append(f'<g class="chart-cell chart-cell-{"empty" if count == 0 else "filled"}'
                       f' chart-step-{matrix_step_index(count)}">')
            out.append(f"<title>{escape(tip)}</title>")
            out.append(f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(MX_CELL_W)}"'
                       f' height="{_num(MX_CELL_H)}" fill="{fill}" stroke="{RULE}"'
                       f' stroke-width="1"/>')
            out.append(f'<text class="chart-count" x="{_num(col_x(j))}"'
                       f' y="{_num(top + MX_CELL_H / 2 + 0.35 * SMALL_SIZE)}"'
                       f' text-anchor="middle" font-size="{_num(SMALL_SIZE)}"'
                       f' fill="{ink}">{count}</text>')
            out.append("</g>")
        out.append("</g>")

    foot_y = grid_y + grid_h + 18
    mark_y = foot_y + 18
    out.append('<g class="chart-totals">')
    out.append(f'<text class="chart-label" x="{_num(grid_x - MX_GAP)}" y="{_num(foot_y)}"'
               f' text-anchor="end" fill="{INK}">{escape(foot_label)}</text>')
    for j, column in enumerate(columns):
        x = col_x(j)
        n = column.total_sources
        note = (" — thin evidence" if is_thin(column)
                else " — no supporting source" if n == 0 else "")
        classes = "chart-total" + (" chart-thin" if is_thin(column) else "")
        out.append(f'<g class="{classes}">')
        out.append(f"<title>{escape(_clean(column.label))}: {_plural(n, 'source')}"
                   f"{escape(note)}</title>")
        out.append(f'<text x="{_num(x)}" y="{_num(foot_y)}" text-anchor="middle"'
                   f' font-size="{_num(SMALL_SIZE)}" fill="{INK}">{n}</text>')
        if is_thin(column) or n == 0:
            word = THIN_LABEL if is_thin(column) else NONE_LABEL
            box_w = _text_width(word, SMALL_SIZE) * 1.1 + 6  # bold runs wider
            out.append(f'<rect x="{_num(x - box_w / 2)}" y="{_num(mark_y - SMALL_SIZE)}"'
                       f' width="{_num(box_w)}" height="{_num(SMALL_SIZE + 4)}" rx="2"'
                       f' fill="{THIN_FILL}" stroke="{THIN_TEXT}" stroke-width="1"/>')
            out.append(f'<text class="chart-marker" x="{_num(x)}" y="{_num(mark_y)}"'
                       f' text-anchor="middle" font-size="{_num(SMALL_SIZE)}"'
                       f' font-weight="bold" fill="{THIN_TEXT}">{word}</text>')
        out.append("</g>")
    out.append("</g>")

    out.append("</svg>")
    return "\n".join(out)
