from pathlib import Path

import pytest

UKRAINE = Path(__file__).resolve().parents[3] / "shared" / "data" / "ukraine"


@pytest.fixture
def ukraine_data() -> Path:
    """The shared real-data folder; skips when absent."""
    if not (UKRAINE / "oblasts-2020.geojson").exists():
        pytest.skip("../shared/data/ukraine is not present")
    return UKRAINE
