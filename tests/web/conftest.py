from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from observatory.settings import Settings
from observatory.web.app import create_app


@pytest.fixture
def client(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_settings), raise_server_exceptions=False) as client:
        yield client
