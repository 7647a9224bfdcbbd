"""The post and outlet pages are the cards app's staff pages: rendered from its own templates."""

import pytest
from django.urls import reverse

from tests.casework.conftest import clerk, production, staff_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("page", "member", "template", "heading"), [
    ("casework:post", "production", "cards/post.html", "Post"),
    ("casework:outlet", "clerk", "cards/outlet.html", "Outlet counter"),
])
def test_the_delivery_pages_render_the_cards_templates(page, member, template, heading, request):
    response = staff_client(request.getfixturevalue(member)).get(reverse(page))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert f"<title>{heading}" in response.content.decode()
