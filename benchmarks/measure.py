"""How the page and API benchmarks measure a request, written once: the SQL it sends, and the
median of alternating runs against its floor."""

import statistics
import time

from django.db import connection


def statements(request):
    """The SQL ``request()`` sends. Counted by a wrapper: the test client's request_started
    signal empties the connection's query log, which CaptureQueriesContext reads."""
    captured = []
    with connection.execute_wrapper(
        lambda run, sql, *rest, log=captured: log.append(sql) or run(sql, *rest)
    ):
        request()
    return captured


def timings_ms(first, second, repeat):
    """Milliseconds of each run of ``first()`` and ``second()``, run alternately (first,
    second, first, …) so a busy machine slows both alike."""
    times = ([], [])
    for _ in range(repeat):
        for run, kept in zip((first, second), times, strict=True):
            start = time.perf_counter()
            run()
            kept.append((time.perf_counter() - start) * 1000)
    return times


def medians_ms(first, second, repeat):
    """Median milliseconds of ``first()`` and ``second()`` run alternately."""
    times = timings_ms(first, second, repeat)
    return statistics.median(times[0]), statistics.median(times[1])


def p95(times):
    """The 95th percentile of a list of times."""
    return statistics.quantiles(times, n=20)[-1]
