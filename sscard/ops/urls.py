from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("bench/ceiling", views.bench_ceiling, name="bench_ceiling"),
]
