"""Search over HTTP: the API's runs of marked matches, the page and the box on every page."""


def test_search_over_http(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    found = client.get("/api/v1/search", params={"q": "rejected"}, headers=headers).json()
    assert found["total"] >= 1
    runs = found["hits"][0]["runs"]
    assert any(r["match"] and r["text"].lower() == "rejected" for r in runs)
    bad = client.get("/api/v1/search", params={"q": "..."}, headers=headers)
    assert bad.status_code == 422 and "give at least one word" in bad.json()["detail"]
    page = client.get(
        "/search", params={"q": "rejected"}, headers={**headers, "Accept": "text/html"}
    )
    assert page.status_code == 200 and "<mark>rejected</mark>" in page.text
    assert 'role="search"' in page.text  # the box in the header of every page


def test_board_diff_over_http(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    api = client.get(
        "/api/v1/board/diff", params={"start": "2025-11-01", "end": "2025-11-30"}, headers=headers
    ).json()
    ru = next(c for c in api["changes"] if c["party"] == "ru")
    assert ru["before"] is None and ru["after"]["value"] == "oppose"
    page = client.get(
        "/board/diff",
        params={"start": "2025-11-01", "end": "2025-11-30"},
        headers={**headers, "Accept": "text/html"},
    )
    assert page.status_code == 200
    assert f'<a href="/claims/{ru["after"]["claim_id"]}">oppose</a>' in page.text
