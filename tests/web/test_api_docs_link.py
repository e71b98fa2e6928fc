"""The API docs page has a way back to the site: a plain link (no inline script or
style, as the Content-Security-Policy requires)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_swagger_page_links_back_to_the_site(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a class="api-docs-back" href="{reverse("selector:home")}">' in page
    assert 'id="swagger-ui"' in page
    assert "<style" not in page and "style=" not in page
