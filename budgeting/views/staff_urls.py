"""URLs of the staff's pages (set-up, review, phases, codes, paper ballots, figures)."""

urlpatterns: list = []
