"""The docs pages open on the operations; the guide lives in its own sections (Redoc's sidebar)."""

from __future__ import annotations

import pytest

GUIDE = ["Getting started", "Conventions", "Legal rules", "Lifecycle table", "Code lists", "Deprecations"]


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_description_is_short_and_the_guide_is_in_trait_tags(schema):
    assert len(schema["info"]["description"].splitlines()) < 8
    guide = [tag for tag in schema["tags"] if tag.get("x-traitTag")]
    assert [tag["name"] for tag in guide][: len(GUIDE)] == GUIDE
    assert schema["tags"][0]["name"] == "identity"  # Swagger UI lists tags in this order
    lifecycle = next(tag for tag in guide if tag["name"] == "Lifecycle table")
    assert "| `request-info` | receiver |" in lifecycle["description"]
    groups = {group["name"]: group["tags"] for group in schema["x-tagGroups"]}
    assert groups["Guide"] == [tag["name"] for tag in guide]
    assert "referrals" in groups["Operations"] and "Lifecycle table" not in groups["Operations"]


@pytest.fixture
def docs_server(transactional_db):
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server
    finally:
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.mark.browser
def test_swagger_ui_shows_an_operation_on_its_first_screen(browser, docs_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{docs_server.url}/api/docs/")
    first = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".opblock"))
    )
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", first)
    assert top < 1000, f"first operation starts {top}px down"


@pytest.mark.browser
def test_redoc_lists_the_guide_and_keeps_action_names_on_one_line(browser, docs_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{docs_server.url}/api/redoc/#tag/Lifecycle-table")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.XPATH, "//td/code[text()='request-info']"))
    sidebar = browser.find_element(By.CSS_SELECTOR, ".menu-content").text
    for name in GUIDE:
        assert name in sidebar
    code = browser.find_element(By.XPATH, "//td/code[text()='request-info']")
    assert browser.execute_script("return arguments[0].getClientRects().length", code) == 1
