"""The stateless rank API: scores the data sent in the request and stores nothing."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from selector.api.errors import ErrorResponse
from selector.api.serializers.rank import RankRequestSerializer, RankResponseSerializer
from selector.api.views.docs import ERRORS
from selector.services.ranking import rank_alternatives


class RankView(APIView):
    """Rank data sent in the request with any method; nothing is stored."""

    @extend_schema(
        request=RankRequestSerializer,
        responses={200: RankResponseSerializer, **ERRORS, 413: ErrorResponse},
        description="At most 10,000 alternatives and 100 criteria per request (413 "
        "beyond). Errors name the field, e.g. alternatives.1.values.roi.",
        examples=[
            OpenApiExample(
                "TOPSIS on three tools",
                request_only=True,
                value={
                    "method": "topsis",
                    "normalization": "vector",
                    "criteria": [
                        {"key": "roi", "direction": "benefit", "weight": 30},
                        {
                            "key": "industry_customization",
                            "direction": "benefit",
                            "weight": 26,
                        },
                        {"key": "price", "direction": "cost", "weight": 1},
                    ],
                    "alternatives": [
                        {
                            "name": "A",
                            "values": {
                                "roi": 4,
                                "industry_customization": 3,
                                "price": 30,
                            },
                        },
                        {
                            "name": "B",
                            "values": {
                                "roi": 5,
                                "industry_customization": 2,
                                "price": 25,
                            },
                        },
                        {
                            "name": "C",
                            "values": {
                                "roi": 2,
                                "industry_customization": 5,
                                "price": 10,
                            },
                        },
                    ],
                },
            )
        ],
    )
    def post(self, request):
        serializer = RankRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ranking = rank_alternatives(
            method=data["method"],
            normalization=data["normalization"],
            criteria=data["criteria"],
            alternatives=data["alternatives"],
            options=data["options"],
        )
        body = {
            "method": data["method"],
            "normalization": data["normalization"],
            "options": data["options"],
            "ranking": ranking,
        }
        return Response(RankResponseSerializer(body).data)
