"""Server-drawn charts (reporting.charts): pure functions from series to SVG. Labels are
escaped, empty series still give a labelled chart, bars are scaled to a round axis, and the
numbers are also given as a table."""

import re

import pytest

from reporting import charts

PLOT_HEIGHT = charts.HEIGHT - charts.TOP - charts.BOTTOM


def heights(svg):
    return [float(h) for h in re.findall(r'<rect class="s\d+"[^>]* height="([\d.]+)"', svg)]


def rects(svg):
    return re.findall(
        r'<rect class="s\d+" fill="[^"]+" x="([\d.]+)" y="([\d.]+)" width="[\d.]+" '
        r'height="([\d.]+)"',
        svg,
    )


def draw(categories, series, **kwargs):
    return charts.stacked_bars(
        categories, series, chart_id="c", title="Title", description="Desc", **kwargs
    )


@pytest.mark.parametrize(
    "value, top",
    [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (45, 50), (51, 100), (120, 200)],
)
def test_the_axis_ends_on_a_round_number(value, top):
    assert charts.nice_ceiling(value) == top


@pytest.mark.parametrize(
    "top, ticks",
    [(1, [0, 1]), (2, [0, 1, 2]), (5, [0, 1, 2, 3, 4, 5]), (20, [0, 4, 8, 12, 16, 20])],
)
def test_ticks_are_whole_and_even(top, ticks):
    assert charts.ticks(top) == ticks


def test_bars_are_scaled_to_the_axis():
    svg = draw(["2025-01", "2025-02", "2025-03"], [("jeju", [5, 10, 0])])
    assert heights(svg) == [PLOT_HEIGHT / 2, PLOT_HEIGHT]  # top = 10; a zero draws nothing
    assert ">10<" in svg and ">5<" in svg  # totals above the bars and tick labels


def test_segments_stack_on_each_other():
    svg = draw(["2025-01"], [("CN", [3]), ("VN", [2])])
    (x1, y1, h1), (x2, y2, h2) = rects(svg)
    base = charts.TOP + PLOT_HEIGHT
    assert x1 == x2
    assert float(y1) + float(h1) == pytest.approx(base)
    assert float(y2) + float(h2) == pytest.approx(float(y1))
    assert float(h1) + float(h2) == pytest.approx(PLOT_HEIGHT)  # 5 of a top of 5


def test_labels_are_escaped_everywhere():
    evil = '<script>alert("x")</script>'
    series = [(evil, [1]), ("A&B", [2])]
    svg = charts.stacked_bars(
        ["<b>m</b>"], series, chart_id="c", title="T <i>", description="D & more"
    )
    table = charts.data_table(["<b>m</b>"], series, caption="<cap>", category_header="Month")
    legend = charts.legend(series)
    for markup in (svg, table, legend):
        assert "<script>" not in markup and "<b>" not in markup
        assert "&lt;script&gt;" in markup or "&lt;b&gt;" in markup
    assert "A&amp;B" in svg and "A&amp;B" in table and "A&amp;B" in legend
    assert "T &lt;i&gt;" in svg and "D &amp; more" in svg


def test_a_chart_says_what_it_shows():
    svg = draw(["2025-01"], [("jeju", [1])])
    assert 'role="img"' in svg and 'aria-label="Title"' in svg
    assert '<title id="c-title">Title</title>' in svg and '<desc id="c-desc">Desc</desc>' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert "<title>jeju: 1 (2025-01)</title>" in svg  # each bar's tooltip


@pytest.mark.parametrize(
    "categories, series",
    [([], []), (["2025-01", "2025-02"], []), (["2025-01"], [("jeju", [0])])],
    ids=["nothing", "no-series", "all-zero"],
)
def test_an_empty_chart_is_still_a_labelled_chart(categories, series):
    svg = draw(categories, series, empty_text="No investment in these months.")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "No investment in these months." in svg and "<title" in svg
    assert heights(svg) == []
    table = charts.data_table(categories, series, caption="C", category_header="Month")
    assert "<caption>C</caption>" in table


def test_the_data_table_holds_the_same_numbers():
    table = charts.data_table(
        ["2025-01", "2025-02"],
        [("CN", [1, 1200]), ("VN", [0, 3])],
        caption="By nationality",
        category_header="Month",
    )
    assert '<div class="visually-hidden"><table><caption>By nationality</caption>' in table
    assert re.search(r"<th scope=\"row\">2025-02</th>.*1,200.*>3<.*1,203", table)
    assert '<th scope="col" class="num">VN</th>' in table


@pytest.mark.parametrize(
    "series",
    [[("jeju", [1])], [("jeju", [1, -1])]],
    ids=["too-short", "negative"],
)
def test_malformed_series_are_refused(series):
    with pytest.raises(ValueError):
        draw(["a", "b"], series)


def test_top_series_keep_the_largest_and_sum_the_rest():
    rows = [
        ("2025-01", "CN", 5),
        ("2025-02", "CN", 1),
        ("2025-01", "VN", 2),
        ("2025-02", "US", 1),
        ("2025-02", "JP", 1),
        ("2024-12", "CN", 9),  # outside the months shown
    ]
    series = charts.top_series(rows, categories=["2025-01", "2025-02"], limit=2, others="Others")
    assert series == [("CN", [5, 1]), ("VN", [2, 0]), ("Others", [0, 2])]


def test_the_figure_has_chart_legend_and_table():
    figure = charts.chart_figure(
        ["2025-01"],
        [("jeju", [2])],
        chart_id="zone",
        title="By zone",
        description="New investments",
        category_header="Month",
    )
    assert figure.startswith('<figure class="card chart-figure"')
    assert '<svg class="chart bars"' in figure and 'class="chart-legend"' in figure
    assert 'class="visually-hidden"' in figure and "<figcaption" in figure
