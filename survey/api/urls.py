from rest_framework.routers import SimpleRouter

from survey.api.views import SurveyViewSet

router = SimpleRouter()
router.register("surveys", SurveyViewSet, basename="survey")

urlpatterns = router.urls
