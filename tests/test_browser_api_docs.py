"""The API's docs page in Chromium: Swagger UI runs from this site's own files under the
site's Content-Security-Policy (the persona fixture fails the test on any violation), lists
every operation, and its "Try it out" fetches a real answer."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_every_operation_and_tries_one(persona):
    reader = persona()
    reader.goto("/api/v1/docs")
    assert reader.locator("html").get_attribute("lang") == "en"
    expect(reader.locator(".swagger-ui .info .title")).to_contain_text("claimtrack open data API")
    operations = reader.locator(".opblock-summary-path")
    expect(operations).to_have_count(10)
    claims = reader.locator(".opblock-summary-path", has_text="/api/v1/claims/").first
    claims.click()
    reader.get_by_role("button", name="Try it out").click()
    reader.get_by_role("button", name="Execute").click()
    expect(reader.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
