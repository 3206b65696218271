"""The budgeting endpoints, registered on the API router by ``config.api_urls``."""


def register(router) -> None:
    """Add the budgeting viewsets to ``router``."""


urlpatterns: list = []
