from tests.review.conftest import (  # noqa: F401 - shared fixtures
    admissible,
    call,
    grid,
    officer,
    private_storage,
    programme,
    reviewers,
)
