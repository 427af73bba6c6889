from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Numbered pages: ``?page=2&page_size=100``; 50 rows by default, 200 at most."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
