from django.urls import path

from . import views

urlpatterns = [path("cost/", views.cost, name="cost")]
