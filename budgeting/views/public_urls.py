"""URLs of the citizens' pages (editions, proposals, ballots, receipts, the public log)."""

urlpatterns: list = []
