"""The 403, 404 and 500 pages are the site's own: styled, with the reason and a way
back (the test client renders the handler templates, as DEBUG is off in tests)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_403_page_gives_the_reason_and_a_way_home(member_client):
    response = member_client.get(reverse("selector:profile-ahp"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only admins can derive weight profiles." in page
    assert 'class="topbar"' in page
    assert f'href="{reverse("selector:home")}"' in page


def test_a_404_page_is_styled_with_a_way_back_to_the_lists(member_client):
    response = member_client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'class="topbar"' in page
    assert f'href="{reverse("selector:evaluation-list")}"' in page


def test_the_500_page_renders_without_a_request_context():
    page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert 'href="/"' in page
    assert "shortlist.css" in page
