from .views.public_urls import urlpatterns as public_urls
from .views.staff_urls import urlpatterns as staff_urls

app_name = "budgeting"

urlpatterns = [*public_urls, *staff_urls]
