from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from observatory.settings import Settings
from observatory.web.app import create_app
from tests.web.server import served


@pytest.fixture
def client(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_settings), raise_server_exceptions=False) as client:
        yield client


SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="module")
def base_url(demo_settings: Settings) -> Iterator[str]:
    with served(create_app(demo_settings)) as url:
        yield url
