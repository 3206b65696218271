"""Pin how many queries a page or API list costs, and prove it does not grow with the rows."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], object]) -> tuple[int, object]:
    """Run ``action`` and return how many SQL queries it made, and what it returned."""
    with CaptureQueriesContext(connection) as ctx:
        result = action()
    return len(ctx.captured_queries), result


def assert_constant_queries(
    action: Callable[[], object],
    add_rows: Callable[[int], object],
    *,
    expected: int,
    more: int = 10,
) -> None:
    """``action`` costs exactly ``expected`` queries, before and after ``add_rows(more)``.

    ``action`` should return a response whose status is checked to be 200, so a page that
    breaks cannot pass by making no queries at all. One unmeasured call comes first, so
    process-wide caches (content types, translations) are warm whatever ran before the test.
    """
    action()
    before, response = count_queries(action)
    assert getattr(response, "status_code", 200) == 200, response
    add_rows(more)
    after, response = count_queries(action)
    assert getattr(response, "status_code", 200) == 200, response
    assert before == after, f"N+1: {before} queries with few rows, {after} with {more} more"
    assert after == expected, f"expected {expected} queries, made {after}: update the pin?"
