from django.urls import path

from survey import views

app_name = "survey"

urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("<slug:slug>/", views.survey_detail, name="survey-detail"),
]
