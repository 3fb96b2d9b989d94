"""A page's GET form sends its empty fields; pages treat them as not sent, the API does not."""

from __future__ import annotations

from accord.web.blanks import without_blanks


def test_empty_fields_are_dropped_from_the_query() -> None:
    assert without_blanks(b"q=peace&start=&end=&scope=all") == b"q=peace&scope=all"
    assert without_blanks(b"flag&q=a%3D") == b"q=a%3D"
    assert without_blanks(b"start=") == b""


def test_a_page_form_with_blank_dates_is_answered(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    auth = {"Authorization": f"Bearer {tokens['viewer']}"}
    # the search page's own form, as a browser submits it with the filters left blank
    page = client.get(
        "/search?q=guarantees&scope=all&issue=&holder=&kind=&state=&publisher=&start=&end=",
        headers=auth,
    )
    assert page.status_code == 200 and "match(es)" in page.text
    assert client.get("/board?as_of=", headers=auth).status_code == 200
    # the API is called by programs: a blank date there is still an error naming the field
    api = client.get("/api/v1/search?q=guarantees&start=", headers=auth)
    assert api.status_code == 422 and "start" in api.json()["detail"]
