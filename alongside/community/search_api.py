"""Community search in the API: GET /api/v1/community/<program>/search/?q=, the posts you may
see that match, best first (see alongside.community.search). Authors appear as on every other
community answer, {display_name, is_anonymous}; excerpts are plain text."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.community import access, search
from alongside.community.api import TAGS, AuthorSerializer


class SearchSpaceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class SearchThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    space = SearchSpaceSerializer()


class SearchHitSerializer(serializers.Serializer):
    post_id = serializers.IntegerField(source="post.pk")
    number = serializers.IntegerField(source="post.number")
    thread = SearchThreadSerializer()
    author = AuthorSerializer(source="post.author")
    created_at = serializers.DateTimeField(source="post.created_at")
    excerpt = serializers.CharField(help_text="Plain text around the first matching word.")
    is_hidden = serializers.BooleanField(
        help_text="The post or its thread is hidden: only moderators find it."
    )
    url = serializers.CharField(source="post.get_absolute_url", help_text="The post's page.")


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_count = serializers.IntegerField()
    results = SearchHitSerializer(many=True)


class SearchView(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description=f"Words to look for, up to {search.QUERY_LENGTH} characters.",
            ),
            OpenApiParameter("page", int, description=f"{search.RESULTS_PER_PAGE} results a page."),
        ],
        responses=SearchPageSerializer,
    )
    def get(self, request: Request, program_slug: str) -> Response:
        """Posts of the program's community you may see that hold all the words, best first
        (relevance, then recency); refused with a message for an empty or too long query."""
        viewer = access.viewer_in(request.user, program_slug)
        try:
            page = search.search(
                viewer, request.query_params.get("q", ""), page=request.query_params.get("page")
            )
        except search.QueryError as refusal:
            raise ValidationError({"q": [str(refusal)]}) from None
        return Response(
            SearchPageSerializer(
                {
                    "count": page.paginator.count,
                    "page": page.number,
                    "page_count": page.paginator.num_pages,
                    "results": page.object_list,
                }
            ).data
        )


urlpatterns = [
    path(
        "community/<slug:program_slug>/search/",
        SearchView.as_view(),
        name="api-community-search",
    ),
]
