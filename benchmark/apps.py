from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    """The benchmark (``manage.py bench``): a development tool, installed from the
    repository only, never shipped with the product (see ``portal.settings``)."""

    name = "benchmark"
    verbose_name = "Benchmark"
