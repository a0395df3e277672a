"""The list pages share one layout (``templates/list_page.html``): what comes first, then the
table with its sortable header and the page links. Their header cells belong in the table,
not in the document's ``<head>`` (a block named like one of ``base.html``'s would put them
there), and each sort link is drawn once."""

import re

import pytest
from django.urls import reverse

from tests.factories import as_user

LIST_PAGES = ["investor-list", "investment-list", "obligation-list", "notice-list", "f5-pipeline"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_page_draws_its_table_head_once_inside_the_table(client, hq, name):
    page = as_user(client, hq).get(reverse(name)).content.decode()

    head = page[page.index("<head>") : page.index("</head>")]
    assert "<th " not in head and "<a " not in head
    table = page[page.index('<div class="table-wrap"><table>') :]
    assert table.index("<thead>") < table.index("</thead>") < table.index("</table>")
    assert page.count("<th ") == table.count("<th ") > 0  # every header cell is in the table
    sort_links = re.findall(r'<a class="sort" href="([^"]+)"', page)
    assert len(sort_links) == len(set(sort_links))
