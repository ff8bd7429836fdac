"""Build-time SVG charts: well-formed, accessible, escaped, deterministic, and true to the data."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sourcebook.site.charts import (
    DOT,
    DOT_TEXT,
    INK,
    LINK,
    MATRIX_STEPS,
    MUTED,
    THIN_FILL,
    THIN_TEXT,
    MatrixColumn,
    MatrixRow,
    TimelineSeries,
    key_counts,
    matrix_step,
    matrix_svg,
    timeline_svg,
)
from sourcebook.site.timebins import DENSE as DENSE_LIMIT
from sourcebook.site.timebins import Period, period_of, timeline_periods, whole_year

NS = "http://www.w3.org/2000/svg"
S = f"{{{NS}}}"
EVIL = 'Bad <script>alert("x")</script> & co\'s "topic"'



def year_dates(*counts: tuple[int, int]) -> tuple[tuple[int, None], ...]:
    """Dates known only to the year, ``n`` of each ``(year, n)``: they never split a year."""
    return tuple((year, None) for year, n in counts for _ in range(n))


SERIES = (
    TimelineSeries("s400", "S-400", "../topics/s400/",
                   year_dates((2018, 1), (2021, 3), (2022, 12))),
    TimelineSeries("caatsa", "CAATSA waiver", "../topics/caatsa/", year_dates((2019, 4))),
    TimelineSeries("evil", EVIL, "../topics/evil/?a=1&b=2", year_dates((2021, 2))),
)

COLUMNS = (
    MatrixColumn("S-400", "topics/s400/", 3),
    MatrixColumn("CAATSA waiver", "topics/caatsa/", 1),
    MatrixColumn(EVIL, "topics/evil/?a=1&b=2", 2),
    MatrixColumn("Payment in rupees and roubles", "topics/payment/", 1),
    MatrixColumn("Nothing yet", "topics/nothing/", 0),
)
ROWS = (
    MatrixRow("Rediff.com, 26 February 2022", "sources/rediff/", (3, 0, 1, 0, 0)),
    MatrixRow("The Hindu, 5 October 2018: India and Russia sign the S-400 deal in New Delhi",
              "sources/hindu/", (1, 2, 0, 0, 0)),
    MatrixRow(EVIL, "sources/evil/?x=<y>", (7, 0, 4, 5, 0)),
)


def timeline(series=SERIES, prefix: str = "tl") -> str:
    return timeline_svg(series, id_prefix=prefix, title="Facts per topic & year",
                        description="Each circle's area <counts> facts.")


def matrix(rows=ROWS, columns=COLUMNS, prefix: str = "cov") -> str:
    return matrix_svg(rows, columns, id_prefix=prefix, title="Sources \u00d7 topics",
                      description='Which sources cover "which" topics & how much.')


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{S}svg"
    return root


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


def parent_map(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- both charts ---


@pytest.mark.parametrize("make", [timeline, matrix])
def test_root_is_an_accessible_scalable_svg(make):
    svg = make()
    assert svg.startswith(f'<svg xmlns="{NS}"')
    root = parse(svg)
    assert root.get("role") == "group"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    x, y, w, h = (float(v) for v in root.get("viewBox", "").split())
    assert (x, y) == (0, 0) and w > 0 and h > 0
    # <title> and <desc> come first, and aria-labelledby names exactly them.
    first, second = list(root)[:2]
    assert first.tag == f"{S}title" and second.tag == f"{S}desc"
    ids = root.get("aria-labelledby", "").split()
    assert ids == [first.get("id"), second.get("id")]
    assert all(i.startswith(root.get("aria-labelledby", "")[:2]) for i in ids)


@pytest.mark.parametrize("make", [timeline, matrix])
def test_ids_follow_the_prefix_and_are_unique(make):
    one, two = parse(make(prefix="first")), parse(make(prefix="second"))
    ids_one = [e.get("id") for e in one.iter() if e.get("id")]
    ids_two = [e.get("id") for e in two.iter() if e.get("id")]
    assert ids_one == ["first-title", "first-desc"]
    assert ids_two == ["second-title", "second-desc"]
    assert not set(ids_one) & set(ids_two)


@pytest.mark.parametrize("make", [timeline, matrix])
def test_title_and_description_are_escaped_text(make):
    root = parse(make())
    title, desc = list(root)[:2]
    assert text_of(title) in ("Facts per topic & year", "Sources \u00d7 topics")
    assert text_of(desc) in ("Each circle's area <counts> facts.",
                             'Which sources cover "which" topics & how much.')


@pytest.mark.parametrize("make", [timeline, matrix])
def test_hostile_label_survives_as_text_only(make):
    svg = make()
    assert "<script" not in svg
    root = parse(svg)
    assert not [e for e in root.iter() if "script" in e.tag]
    titles = [text_of(e) for e in root.iter(f"{S}title")]
    assert any(EVIL in t for t in titles)
    labels = [text_of(e) for e in root.iter(f"{S}text")]
    # Shown truncated to 40 characters, with the full label as the tooltip.
    assert EVIL[:39].rstrip() + "…" in labels


@pytest.mark.parametrize("make", [timeline, matrix])
def test_output_is_deterministic(make):
    assert make() == make()


@pytest.mark.parametrize("make", [timeline, matrix])
def test_numbers_have_one_decimal(make):
    root = parse(make())
    for el in root.iter():
        for name in ("x", "y", "cx", "cy", "r", "width", "height", "x1", "x2", "y1", "y2"):
            value = el.get(name)
            if value is not None and value != "100%":
                assert value.split(".")[1:] and len(value.split(".")[1]) == 1, (name, value)


@pytest.mark.parametrize("make", [timeline, matrix])
def test_links_use_svg2_href_and_every_href_appears(make):
    svg = make()
    assert "xlink" not in svg
    root = parse(svg)
    hrefs = [a.get("href") for a in root.iter(f"{S}a")]
    expected = ([s.href for s in SERIES] if make is timeline
                else [c.href for c in COLUMNS] + [r.href for r in ROWS])
    assert sorted(hrefs) == sorted(expected)
    for a in root.iter(f"{S}a"):
        assert a.find(f"{S}text") is not None and a.find(f"{S}title") is not None


@pytest.mark.parametrize("make", [timeline, matrix])
def test_every_text_has_aa_contrast(make):
    root = parse(make())
    parents = parent_map(root)
    backgrounds = {DOT_TEXT: DOT, THIN_TEXT: THIN_FILL}
    backgrounds |= {ink: fill for _, fill, ink in MATRIX_STEPS}
    for el in root.iter(f"{S}text"):
        fill = el.get("fill")
        assert fill and fill.startswith("#"), text_of(el)
        group = parents[el]
        if "chart-cell" in (group.get("class") or ""):
            background = group.find(f"{S}rect").get("fill")
        else:
            background = backgrounds.get(fill, "#ffffff")
        assert contrast(fill, background) >= 4.5, (text_of(el), fill, background)


def test_palette_and_fixed_colours_meet_aa():
    for _, fill, ink in MATRIX_STEPS:
        assert contrast(ink, fill) >= 4.5, (ink, fill)
    for colour in (INK, MUTED, LINK):
        assert contrast(colour, "#ffffff") >= 4.5
    assert contrast(DOT_TEXT, DOT) >= 4.5
    assert contrast(THIN_TEXT, THIN_FILL) >= 4.5


@pytest.mark.parametrize("make", [timeline_svg, matrix_svg])
@pytest.mark.parametrize("prefix", ["", "two words"])
def test_bad_prefix_is_refused(make, prefix):
    args = ((SERIES,) if make is timeline_svg else (ROWS, COLUMNS))
    with pytest.raises(ValueError, match="id_prefix"):
        make(*args, id_prefix=prefix, title="t", description="d")


# --- timeline ---


def circles(root: ET.Element) -> list[tuple[str, float]]:
    """(tooltip, radius) of every mark's circle, in order (not the key's)."""
    parents = parent_map(root)
    return [(text_of(parents[c].find(f"{S}title")), float(c.get("r", "")))
            for c in root.iter(f"{S}circle") if parents[c].get("class") == "chart-mark"]


def texts(root: ET.Element, cls: str) -> list[str]:
    return [text_of(t) for t in root.iter(f"{S}text") if t.get("class") == cls]


def key(root: ET.Element) -> ET.Element:
    [legend] = [g for g in root.iter(f"{S}g") if g.get("class") == "chart-legend"]
    return legend


def test_timeline_empty_input_is_empty_string():
    assert timeline(()) == ""
    assert timeline((TimelineSeries("x", "X", "x/", ()),)) == ""


def test_timeline_has_one_tick_label_per_year_from_first_to_last():
    root = parse(timeline())
    assert texts(root, "chart-tick") == ["2018", "2019", "2020", "2021", "2022"]
    assert texts(root, "chart-year") == []  # no year is split: no second row of years


def test_timeline_folds_a_long_run_of_empty_years_into_one_column():
    series = (TimelineSeries("a", "A", "a/",
                             year_dates((2010, 1), (2013, 1), (2015, 2), (2022, 1))),)
    root = parse(timeline(series))
    assert texts(root, "chart-tick") == ["2010", "2011", "2012", "2013", "2014", "2015", "…",
                                         "2022"]


def test_timeline_circle_area_is_proportional_to_count():
    marks = circles(parse(timeline()))
    counts = {"2018: 1 fact on S-400": 1, "2021: 3 facts on S-400": 3,
              "2022: 12 facts on S-400": 12, "2019: 4 facts on CAATSA waiver": 4,
              f"2021: 2 facts on {EVIL}": 2}
    assert sorted(t for t, _ in marks) == sorted(counts)
    radius = dict(marks)
    base_tip, base_r = "2022: 12 facts on S-400", radius["2022: 12 facts on S-400"]
    for tip, r in marks:
        # Radii are printed with one decimal: allow for that rounding.
        assert r**2 / base_r**2 == pytest.approx(counts[tip] / counts[base_tip], abs=0.02), tip


def test_timeline_year_without_facts_draws_no_circle():
    tips = [t for t, _ in circles(parse(timeline()))]
    assert not [t for t in tips if "2020" in t]


def test_timeline_prints_each_count_in_its_mark():
    root = parse(timeline())
    parents = parent_map(root)
    for circle in root.iter(f"{S}circle"):
        group = parents[circle]
        if group.get("class") != "chart-mark":
            continue
        tip = text_of(group.find(f"{S}title"))
        number = text_of(group.find(f"{S}text"))
        assert tip.split(": ")[1].startswith(f"{number} fact")


def test_timeline_numbers_inside_only_when_they_fit():
    series = (TimelineSeries("a", "A", "a/",
                             year_dates((2020, 1), (2021, 9), (2022, 40), (2023, 100))),)
    root = parse(timeline(series))
    parents = parent_map(root)
    for circle in root.iter(f"{S}circle"):
        if parents[circle].get("class") != "chart-mark":
            continue
        r, cx = float(circle.get("r", "")), float(circle.get("cx", ""))
        number = parents[circle].find(f"{S}text")
        width = len(text_of(number)) * 11 * 0.6
        if number.get("fill") == DOT_TEXT:  # inside: white on the dark circle
            assert number.get("x") == circle.get("cx")
            assert 2 * r >= width + 4 and 2 * r >= 14
        else:  # beside: dark on white, starting right of the circle
            assert number.get("fill") == INK
            assert float(number.get("x", "")) > cx + r


def test_timeline_rows_share_the_x_axis():
    root = parse(timeline())
    parents = parent_map(root)
    x_of = {}
    for circle in root.iter(f"{S}circle"):
        if parents[circle].get("class") == "chart-mark":
            year = text_of(parents[circle].find(f"{S}title")).split(":")[0]
            x_of.setdefault(year, set()).add(circle.get("cx"))
    assert all(len(xs) == 1 for xs in x_of.values())
    assert len(x_of["2021"]) == 1  # S-400 and the hostile topic line up in 2021
    xs = [float(next(iter(x_of[y]))) for y in ("2018", "2019", "2021", "2022")]
    assert xs == sorted(xs)


def test_timeline_dates_in_any_order_draw_the_same_chart():
    one = parse(timeline((TimelineSeries("a", "A", "a/", year_dates((2020, 5))),)))
    assert [c[0] for c in circles(one)] == ["2020: 5 facts on A"]
    shuffled = TimelineSeries("a", "A", "a/", ((2021, 3), (2019, None), (2021, None)))
    ordered = TimelineSeries("a", "A", "a/", ((2019, None), (2021, None), (2021, 3)))
    assert timeline((shuffled,)) == timeline((ordered,))


def test_timeline_row_without_dates_is_drawn_without_circles():
    root = parse(timeline((TimelineSeries("a", "A", "a/", ()),
                           TimelineSeries("b", "B", "b/", year_dates((2020, 1))))))
    assert [t for t, _ in circles(root)] == ["2020: 1 fact on B"]
    assert [a.get("href") for a in root.iter(f"{S}a")] == ["a/", "b/"]


@pytest.mark.parametrize("month", [0, 13, -1])
def test_timeline_refuses_a_month_outside_the_year(month):
    with pytest.raises(ValueError, match="month"):
        timeline((TimelineSeries("a", "A", "a/", ((2020, month),)),))


# --- timeline: finer bins where a year is dense (issue 15) ---

# A topic with five facts in 2021 (three in April, two in December) and one in 2018; another
# with one fact known only to the year 2021.
DENSE = (((2018, 10), (2021, 4), (2021, 4), (2021, 4), (2021, 12), (2021, 12)),
         ((2021, None),))


def test_bins_split_a_dense_year_into_quarters_and_keep_a_sparse_year_whole():
    assert timeline_periods(DENSE) == [
        Period(2018, 1, 12),  # one fact: the year stays one bin
        Period(2021, 0, 0),  # the fact known only to the year stays year-level
        Period(2021, 1, 3), Period(2021, 4, 6), Period(2021, 7, 9), Period(2021, 10, 12)]
    assert [p.tick for p in timeline_periods(DENSE)] == ["2018", "year", "Q1", "Q2", "Q3",
                                                         "Q4"]
    assert [p.label for p in timeline_periods(DENSE)][-1] == "Q4 2021"


def test_bins_keep_year_only_dates_in_the_year():
    periods = timeline_periods(DENSE)
    assert period_of(periods, (2021, None)) == Period(2021, 0, 0)
    assert Period(2021, 0, 0).label == "2021, date known only to the year"
    assert period_of(periods, (2021, 12)) == Period(2021, 10, 12)
    assert period_of(periods, (2018, 10)) == period_of(periods, (2018, None)) == whole_year(2018)
    # Without year-only dates, a split year has no "year" column.
    assert Period(2021, 0, 0) not in timeline_periods(DENSE[:1])


@pytest.mark.parametrize(("dates", "split"), [
    ([(2021, 4)] * 3 + [(2021, 12)] * 2, True),  # five facts over two quarters
    ([(2021, 4)] * 2 + [(2021, 12)] * 2, False),  # four facts: not more than DENSE
    ([(2021, 4)] * 6, False),  # six facts in one quarter: quarters would not spread them
    ([(2021, 4)] * 3 + [(2021, None)] * 2, False),  # year-only dates have no quarter
])
def test_bins_split_a_year_only_where_a_topic_is_dense_across_quarters(dates, split):
    assert (timeline_periods([dates]) != [whole_year(2021)]) is split
    assert DENSE_LIMIT == 4


def test_bins_look_at_each_topic_alone():
    # Two topics with three facts each in 2021, spread over quarters: no topic is dense.
    three = [(2021, 2), (2021, 5), (2021, 8)]
    assert timeline_periods([three, three]) == [whole_year(2021)]


def test_bins_split_a_quarter_still_dense_into_months():
    dates = [(2022, 2)] * 3 + [(2022, 3)] * 2 + [(2022, 11)]
    periods = timeline_periods([dates])
    assert [p.tick for p in periods] == ["Jan", "Feb", "Mar", "Q2", "Q3", "Q4"]
    assert period_of(periods, (2022, 2)).label == "February 2022"


def test_timeline_draws_quarters_with_their_year_below():
    series = tuple(TimelineSeries(name, name, f"{name}/", dates)
                   for name, dates in zip(("S-400", "B"), DENSE, strict=True))
    root = parse(timeline(series))
    assert texts(root, "chart-tick") == ["2018", "2019", "2020", "year", "Q1", "Q2", "Q3", "Q4"]
    assert texts(root, "chart-year") == ["2021"]
    assert sorted(t for t, _ in circles(root)) == [
        "2018: 1 fact on S-400", "2021, date known only to the year: 1 fact on B",
        "Q2 2021: 3 facts on S-400", "Q4 2021: 2 facts on S-400"]
    # The year's label sits under its columns, between the first and the last.
    parents = parent_map(root)
    xs = {text_of(parents[c].find(f"{S}title")).split(":")[0]: float(c.get("cx", ""))
          for c in root.iter(f"{S}circle") if parents[c].get("class") == "chart-mark"}
    [year] = [t for t in root.iter(f"{S}text") if t.get("class") == "chart-year"]
    assert xs["2021, date known only to the year"] < float(year.get("x", "")) < xs["Q4 2021"]


def test_timeline_key_shows_circle_sizes_in_words():
    root = parse(timeline())  # the largest count is 12
    legend = key(root)
    words = [text_of(t) for t in legend.iter(f"{S}text")]
    assert words == ["Circle area shows the number of facts:", "1 fact", "6 facts", "12 facts"]
    assert key_counts(12) == (1, 6, 12) and key_counts(1) == (1,) and key_counts(3) == (1, 3)
    # The key's circles have the marks' scale: the 1 and 12 of the key match the marks.
    radius = dict(circles(root))
    sizes = [float(c.get("r", "")) for c in legend.iter(f"{S}circle")]
    assert sizes[0] == radius["2018: 1 fact on S-400"]
    assert sizes[-1] == radius["2022: 12 facts on S-400"]
    assert all(c.get("class") == "chart-dot" for c in legend.iter(f"{S}circle"))  # themed
    # The key fits the drawing.
    width = float(root.get("viewBox", "").split()[2])
    assert all(float(c.get("cx", "")) + float(c.get("r", "")) < width
               for c in legend.iter(f"{S}circle"))


def svg_of(built: Path, rel: str) -> ET.Element:
    html = (built / "site" / rel / "index.html").read_text(encoding="utf-8")
    return parse(html[html.index("<svg"):html.index("</svg>") + len("</svg>")])


def test_bundled_timeline_spreads_2021_and_2022_over_quarters(built):
    root = svg_of(built, "timeline")
    tips = [t for t, _ in circles(root)]
    ties = [t for t in tips if t.endswith(" defence ties")
            and ("2021" in t or "2022" in t)]
    # Year bins drew the defence-ties story of 2021-22 as two bubbles.
    assert len(ties) > 2, ties
    assert {t.split(":")[0] for t in ties} >= {"Q2 2021", "Q4 2021", "Q1 2022", "Q2 2022"}
    assert "Q2 2021: 3 facts on S-400" in tips and "Q4 2021: 1 fact on S-400" in tips
    assert texts(root, "chart-year") == ["2021", "2022"]
    assert texts(root, "chart-tick")[:2] == ["2010", "…"]  # sparse years stay whole
    legend = key(root)
    assert "1 fact" in [text_of(t) for t in legend.iter(f"{S}text")]
    html = (built / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    # The table phones see has the same periods, and the caption states the rule.
    assert '<a href="#y-2021">Q2 2021</a>' in html and '<a href="#y-2010">2010</a>' in html
    assert "A fact dated only to a year stays in a column for the whole year" in html


# --- matrix ---


def cells(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{S}g") if "chart-cell" in (g.get("class") or "").split()]


def test_matrix_empty_input_is_empty_string():
    assert matrix((), COLUMNS) == ""
    assert matrix((), ()) == ""
    assert matrix((MatrixRow("r", "r/", ()),), ()) == ""


def test_matrix_cells_print_counts_shaded_by_step():
    root = parse(matrix())
    found = cells(root)
    assert len(found) == len(ROWS) * len(COLUMNS)
    expected = [count for row in ROWS for count in row.counts]
    assert [int(text_of(g.find(f"{S}text"))) for g in found] == expected
    for g, count in zip(found, expected, strict=True):
        rect = g.find(f"{S}rect")
        assert (rect.get("fill"), g.find(f"{S}text").get("fill")) == matrix_step(count)
        assert rect.get("stroke")  # even an empty, white cell has a visible border
        assert text_of(g.find(f"{S}title")).endswith(f": {count} fact" + ("" if count == 1
                                                                         else "s"))


def test_matrix_palette_gets_darker_with_count():
    fills = [matrix_step(n)[0] for n in (0, 1, 2, 3, 4, 6, 7, 100)]
    assert fills[0] == "#ffffff"
    lums = [luminance(f) for f in fills]
    assert lums == sorted(lums, reverse=True)
    assert len(set(fills)) == len(MATRIX_STEPS)


def test_matrix_thin_marker_exactly_for_single_source_columns():
    root = parse(matrix())
    totals = [g for g in root.iter(f"{S}g") if "chart-total" in (g.get("class") or "").split()]
    assert len(totals) == len(COLUMNS)
    for group, column in zip(totals, COLUMNS, strict=True):
        words = [text_of(t) for t in group.iter(f"{S}text")]
        assert words[0] == str(column.total_sources)
        thin = column.total_sources == 1
        assert ("thin" in words) is thin, column.label
        assert ("chart-thin" in group.get("class", "")) is thin
        assert ("thin evidence" in text_of(group.find(f"{S}title"))) is thin
    markers = [text_of(t) for t in root.iter(f"{S}text") if t.get("class") == "chart-marker"]
    assert markers.count("thin") == sum(c.total_sources == 1 for c in COLUMNS)


def test_matrix_without_single_source_columns_has_no_thin_marker():
    columns = tuple(MatrixColumn(c.label, c.href, 2) for c in COLUMNS)
    root = parse(matrix(columns=columns))
    assert not [t for t in root.iter(f"{S}text") if text_of(t) == "thin"]


def test_matrix_long_labels_are_truncated_with_full_tooltip():
    root = parse(matrix())
    long_label = ROWS[1].label
    link = next(a for a in root.iter(f"{S}a") if a.get("href") == ROWS[1].href)
    shown = text_of(link.find(f"{S}text"))
    assert len(shown) == 40 and shown.endswith("…")
    assert long_label.startswith(shown[:-1])
    assert text_of(link.find(f"{S}title")) == long_label
    short = next(a for a in root.iter(f"{S}a") if a.get("href") == ROWS[0].href)
    assert text_of(short.find(f"{S}text")) == ROWS[0].label


def test_matrix_column_headers_are_rotated_links_that_fit_the_viewbox():
    root = parse(matrix())
    width = float(root.get("viewBox", "").split()[2])
    for column in COLUMNS:
        link = next(a for a in root.iter(f"{S}a") if a.get("href") == column.href)
        text = link.find(f"{S}text")
        assert text.get("transform", "").startswith("rotate(-45 ")
        # The rotated label's far end (estimated) stays inside the drawing.
        reach = float(text.get("x", "")) + len(text_of(text)) * 12 * 0.6 * math.sqrt(0.5)
        assert reach <= width


def test_matrix_refuses_mismatched_rows():
    with pytest.raises(ValueError, match="counts"):
        matrix((MatrixRow("r", "r/", (1, 2)),), COLUMNS)
    with pytest.raises(ValueError, match="negative"):
        matrix((MatrixRow("r", "r/", (-1, 0, 0, 0, 0)),), COLUMNS)
