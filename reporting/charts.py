"""Charts drawn on the server as inline SVG: pure functions from series to markup.

Why on the server: the portal ships no JavaScript library and fetches nothing from a CDN
(issue "Web portal", item 6), and a chart drawn as SVG reads without scripts, scales from a
phone to a laptop and prints as shown. Why pure: a chart is a function of its numbers, so it is
tested without a database or a request.

Every chart is accessible three ways: ``role="img"`` with an ``aria-label``, a ``<title>`` and
a ``<desc>`` that say what it shows; a ``<title>`` on each bar (a tooltip); and the same numbers
as a table (:func:`data_table`), visually hidden but read by screen readers. Every label is
escaped here — zone names and nationality codes come from the database.

A series is ``(name, values)`` with one non-negative integer per category.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

#: Fills of the series, in order (Okabe–Ito colours, distinguishable with colour blindness);
#: the last one, grey, suits an "Others" series put last.
PALETTE = (
    "#123f7a",
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#cc79a7",
    "#d55e00",
    "#0072b2",
    "#8c8c8c",
)
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 20, 36


def colour(index):
    return PALETTE[index % len(PALETTE)]


def nice_ceiling(value):
    """The smallest of 1, 2, 5 × 10^k that is at least ``value`` (1 for nothing to show): the
    top of the value axis, so its ticks fall on round numbers."""
    top = 1
    while True:
        for factor in (1, 2, 5):
            if factor * top >= value:
                return factor * top
        top *= 10


def ticks(top):
    """Round tick values from 0 to ``top``: 5, 4 or 2 equal steps where they divide evenly."""
    steps = next(n for n in (5, 4, 2, 1) if top % n == 0)
    return [top * i // steps for i in range(steps + 1)]


def number(value):
    return f"{value:,}"


def checked(categories, series):
    categories = [str(c) for c in categories]
    cleaned = []
    for name, values in series:
        values = list(values)
        if len(values) != len(categories):
            raise ValueError(f"Series {name!r} has {len(values)} values for {len(categories)}.")
        if any(v < 0 for v in values):
            raise ValueError(f"Series {name!r} has a negative value: bars count things.")
        cleaned.append((str(name), [int(v) for v in values]))
    return categories, cleaned


def totals(categories, series):
    return [sum(values[i] for _name, values in series) for i in range(len(categories))]


def stacked_bars(categories, series, *, chart_id, title, description, empty_text=None):
    """A stacked bar chart: one bar per category, one coloured segment per series.

    Returns SVG markup (safe to insert in a page: every text is escaped). With no category or
    nothing to count it still returns a labelled SVG saying so (``empty_text``)."""
    categories, series = checked(categories, series)
    sums = totals(categories, series)
    top = nice_ceiling(max(sums, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    parts = []
    for tick in ticks(top):
        y = base - tick / top * plot_h
        parts.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                f"{y:.1f}",
                WIDTH - RIGHT,
                f"{y:.1f}",
                LEFT - 6,
                f"{y + 4:.1f}",
                number(tick),
            )
        )
    band = plot_w / len(categories) if categories else plot_w
    bar_w = band * 0.7
    for i, category in enumerate(categories):
        x = LEFT + i * band + (band - bar_w) / 2
        y = base
        for k, (name, values) in enumerate(series):
            if not values[i]:
                continue
            height = values[i] / top * plot_h
            y -= height
            parts.append(
                format_html(
                    '<rect class="s{}" fill="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    k % len(PALETTE),
                    colour(k),
                    f"{x:.1f}",
                    f"{y:.1f}",
                    f"{bar_w:.1f}",
                    f"{height:.1f}",
                    f"{name}: {number(values[i])} ({category})",
                )
            )
        centre = f"{x + bar_w / 2:.1f}"
        if sums[i]:
            parts.append(
                format_html(
                    '<text class="total" x="{}" y="{}" text-anchor="middle">{}</text>',
                    centre,
                    f"{y - 4:.1f}",
                    number(sums[i]),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>', centre, base + 18, category
            )
        )
    if not any(sums):
        parts.append(
            format_html(
                '<text class="empty" x="{}" y="{}" text-anchor="middle">{}</text>',
                LEFT + plot_w / 2,
                TOP + plot_h / 2,
                empty_text or _("Nothing to show for this period."),
            )
        )
    parts.append(
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>', LEFT, base, WIDTH - RIGHT, base
        )
    )
    return format_html(
        '<svg class="chart bars" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(parts)),  # noqa: S308 - every part was built by format_html
    )


def legend(series):
    """The series' names beside their colour swatch, as an HTML list (it wraps on phones)."""
    items = format_html_join(
        "",
        '<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
        '<rect width="10" height="10" fill="{}"/></svg> {}</li>',
        ((colour(k), str(name)) for k, (name, _values) in enumerate(series)),
    )
    return format_html('<ul class="chart-legend">{}</ul>', items)


def data_table(categories, series, *, caption, category_header, css_class="visually-hidden"):
    """The chart's numbers as a table: a row per category, a column per series and a total."""
    categories, series = checked(categories, series)
    head = format_html_join("", '<th scope="col" class="num">{}</th>', ((n,) for n, _v in series))
    rows = [
        format_html(
            '<tr><th scope="row">{}</th>{}<td class="num">{}</td></tr>',
            category,
            format_html_join("", '<td class="num">{}</td>', ((number(v[i]),) for _n, v in series)),
            number(total),
        )
        for i, (category, total) in enumerate(
            zip(categories, totals(categories, series), strict=True)
        )
    ]
    if not rows:
        rows = [format_html('<tr><td colspan="{}">{}</td></tr>', len(series) + 2, _("No data."))]
    return format_html(
        '<div class="{}"><table><caption>{}</caption><thead><tr><th scope="col">{}</th>{}'
        '<th scope="col" class="num">{}</th></tr></thead><tbody>{}</tbody></table></div>',
        css_class,
        caption,
        category_header,
        head,
        _("Total"),
        mark_safe("".join(rows)),  # noqa: S308 - every row was built by format_html
    )


def chart_figure(categories, series, *, chart_id, title, description, category_header):
    """A captioned figure: the chart (scrolling sideways on narrow screens), its legend and
    its data table for screen readers."""
    return format_html(
        '<figure class="card chart-figure" aria-labelledby="{}-caption">'
        '<figcaption id="{}-caption"><strong>{}</strong> <span class="muted">{}</span></figcaption>'
        '<div class="chart-scroll" tabindex="0" role="group" aria-label="{}">{}</div>{}{}'
        "</figure>",
        chart_id,
        chart_id,
        title,
        description,
        _("%(title)s (scrolls sideways on small screens)") % {"title": title},
        stacked_bars(categories, series, chart_id=chart_id, title=title, description=description),
        legend(series),
        data_table(categories, series, caption=title, category_header=category_header),
    )


def top_series(rows, *, categories, limit, others):
    """Series from ``(category, name, count)`` rows: the ``limit`` names with the largest
    totals, largest first, and every other name summed into one ``others`` series, last."""
    index = {category: i for i, category in enumerate(categories)}
    by_name = {}
    for category, name, count in rows:
        if category in index:
            by_name.setdefault(name, [0] * len(categories))[index[category]] += count
    ranked = sorted(by_name.items(), key=lambda item: (-sum(item[1]), str(item[0])))
    series = [(name, values) for name, values in ranked[:limit]]
    rest = ranked[limit:]
    if rest:
        series.append(
            (others, [sum(values[i] for _n, values in rest) for i in range(len(categories))])
        )
    return series
