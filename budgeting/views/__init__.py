"""Pages of participatory budgets: ``public`` for citizens, ``staff`` for city staff."""
