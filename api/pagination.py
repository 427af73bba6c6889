from rest_framework.pagination import PageNumberPagination

from portal.pagination import KeysFirstPaginator


class Pages(PageNumberPagination):
    """Numbered pages: ``?page=2&page_size=100``; 50 rows by default, 200 at most."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysFirstPages(Pages):
    """:class:`Pages` read keys first (``portal.pagination.KeysFirst``): for a list sorted
    on a joined column."""

    django_paginator_class = KeysFirstPaginator
