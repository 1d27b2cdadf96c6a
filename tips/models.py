# Tips arrive with the anonymous tip form (see the tips issue); nothing is stored yet.
