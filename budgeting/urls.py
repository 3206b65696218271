from .views.delivery_urls import urlpatterns as delivery_urls
from .views.public_urls import urlpatterns as public_urls
from .views.results_urls import urlpatterns as results_urls
from .views.staff_urls import urlpatterns as staff_urls

app_name = "budgeting"

urlpatterns = [*public_urls, *staff_urls, *results_urls, *delivery_urls]
